// availability.js: the availability page's "Add a range" and "Add dates off"
// buttons add an empty row in place, without a reload. Without JavaScript
// they send the form, which comes back with the row added and nothing saved.
(function () {
  "use strict";

  var form = document.querySelector("[data-availability-form]");
  if (!form) return;

  function renumber(element, number) {
    ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replace(/__index__/g, number));
    });
  }

  form.querySelectorAll("[data-add-range]").forEach(function (button) {
    var group = button.closest("[data-day]");
    var list = group.querySelector("[data-ranges]");
    var template = group.querySelector("[data-range-template]");
    var max = parseInt(list.dataset.max, 10);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (list.querySelectorAll("[data-range-row]").length >= max) return;
      var number = parseInt(list.dataset.nextIndex, 10);
      list.dataset.nextIndex = String(number + 1);
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("*").forEach(function (element) { renumber(element, number); });
      list.appendChild(row);
      button.disabled = list.querySelectorAll("[data-range-row]").length >= max;
      row.querySelector("input").focus();
    });
  });

  // A preview asked for: take the reader to it, as an error summary would.
  var preview = form.querySelector("[data-preview]");
  if (preview && !form.querySelector("[data-error-summary]")) preview.focus();
})();
