from django.core.management.base import BaseCommand

from articles.content import load_article, sources


class Command(BaseCommand):
    help = (
        "Creates the articles shipped in articles/content/ that are not in the "
        "database yet. Existing articles are never changed, so it is safe to run "
        "again and keeps what admins have edited."
    )

    def handle(self, *args, **options):
        for source in sources():
            article, created = load_article(source)
            verb = "Created" if created else "Already there, left as it is:"
            self.stdout.write(f"{verb} {article.slug}")
