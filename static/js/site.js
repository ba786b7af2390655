// site.js: enhancements only; every page works without it.
(function () {
  "use strict";

  // Quick exit: replace this page in the history, so Back does not return here.
  var exitLink = document.querySelector("[data-quick-exit]");
  function leave() {
    document.title = "";
    document.body.hidden = true;
    window.location.replace(exitLink.href);
  }
  if (exitLink) {
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }

  // Offline banner: a live region that announces the lost connection.
  var region = document.querySelector("[data-offline-region]");
  var message = document.getElementById("offline-message");
  function showConnection() {
    if (!region || !message) return;
    if (navigator.onLine) {
      region.replaceChildren();
    } else if (!region.hasChildNodes()) {
      region.appendChild(message.content.cloneNode(true));
    }
  }
  window.addEventListener("offline", showConnection);
  window.addEventListener("online", showConnection);
  if (!navigator.onLine) showConnection();

  // Gated actions: with JavaScript, the login prompt opens in a dialog on
  // this page; without it, the link leads to the same prompt as a page.
  var dialog = document.querySelector("[data-gate-dialog]");
  if (dialog && dialog.showModal) {
    var loginLink = dialog.querySelector("[data-gate-login]");
    var signupLink = dialog.querySelector("[data-gate-signup]");
    var loginBase = loginLink.getAttribute("href");
    var signupBase = signupLink.getAttribute("href");
    document.addEventListener("click", function (event) {
      var gated = event.target.closest("[data-gate]");
      if (!gated || !gated.dataset.gate) return;
      event.preventDefault();
      var url = new URL(gated.getAttribute("href") || gated.dataset.gateNext, location.href);
      var next = "?next=" + encodeURIComponent(url.pathname + url.search);
      dialog.querySelector("[data-gate-prompt]").textContent = gated.dataset.gate;
      loginLink.setAttribute("href", loginBase + next);
      signupLink.setAttribute("href", signupBase + next);
      dialog.showModal();
    });
  }

  // Time zone: the browser's zone, for the server to show times in (message
  // times, booking pages). The cookie holds a zone name and nothing else.
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  if (zone && /^[A-Za-z0-9_+\/-]{1,64}$/.test(zone)) {
    // The pattern above keeps the value cookie-safe as it is: no encoding,
    // which the server would not undo.
    document.cookie = "tz=" + zone +
      "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  // Booking pages: show times in the browser's zone unless the visitor chose one.
  var tzForm = document.querySelector("[data-tz-form]");
  if (tzForm && zone && !new URLSearchParams(location.search).has("tz")) {
    var select = tzForm.querySelector("select[name=tz]");
    if (select && select.value !== zone && hasOption(select, zone)) {
      select.value = zone;
      tzForm.submit();
    }
  }

  // "Next free" times: the server names them in the specialist's zone; here
  // they are shown in the browser's, named the same way ("Tue 3 Dec, 10:00 (Berlin)").
  var localTimes = document.querySelectorAll("time[data-local-time]");
  if (zone && localTimes.length) {
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      timeZone: zone, weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    var place = zone.split("/").pop().replace(/_/g, " ");
    localTimes.forEach(function (element) {
      var instant = new Date(element.getAttribute("datetime"));
      if (isNaN(instant)) return;
      var parts = {};
      format.formatToParts(instant).forEach(function (part) { parts[part.type] = part.value; });
      element.textContent = parts.weekday + " " + parts.day + " " + parts.month + ", " +
        parts.hour + ":" + parts.minute + " (" + place + ")";
    });
  }

  // The visitor's phone number counts only for a phone consultation: with
  // JavaScript its field shows only then; without, it is always there and its
  // label says when it is needed.
  document.querySelectorAll("[data-format-dependent]").forEach(function (wrapper) {
    var form = wrapper.closest("form");
    function update() {
      var chosen = form.querySelector('input[name="preferred_format"]:checked');
      wrapper.hidden = !chosen || chosen.value !== wrapper.dataset.formatDependent;
    }
    form.querySelectorAll('input[name="preferred_format"]').forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });

  // A zone not chosen yet (a new specialist profile): suggest the browser's.
  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    if (!select.value && zone && hasOption(select, zone)) select.value = zone;
  });

  // A form with errors: move focus to the summary so it is read out first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Share: copy the link, and the device's own share sheet where there is one.
  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.closest("[data-needs-js]").hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyLink).then(function () {
        if (status) status.textContent = status.dataset.copiedText;
      });
    });
  });
  document.querySelectorAll("[data-native-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.closest("[data-needs-share]").hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
    });
  });
})();
