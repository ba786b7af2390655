from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from specialists.models import Specialist
from specialists.photos import save_thumbnails, thumbnail_names


class Command(BaseCommand):
    help = (
        "Writes the thumbnails of every stored profile photo that lacks one "
        "(photos saved before thumbnails existed, or after the slot sizes "
        "changed). Saving a photo writes its thumbnails, so run this once "
        "after deploying a release that adds or changes sizes. With --all, "
        "rewrites every photo's thumbnails. Deletes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="rewrite_all",
            help="Rewrite the thumbnails of every photo, not only missing ones.",
        )

    def handle(self, *args, rewrite_all, **options):
        names = (
            Specialist.objects.exclude(photo="")
            .values_list("photo", flat=True)
            .distinct()
            .order_by("photo")
        )
        written = missing = 0
        for name in names.iterator():
            if not default_storage.exists(name):
                self.stderr.write(f"Skipped {name}: the photo is not in storage.")
                missing += 1
                continue
            if rewrite_all or not all_exist(thumbnail_names(name)):
                save_thumbnails(name, storage=default_storage)
                written += 1
        self.stdout.write(
            f"Thumbnails written for {written} photos; {missing} photos missing."
        )


def all_exist(names):
    return all(default_storage.exists(name) for name in names)
