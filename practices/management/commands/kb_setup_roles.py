from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, WorkflowPage

from practices.roles import WORKFLOW_NAME, setup_roles


class Command(BaseCommand):
    help = (
        "Creates (or completes) the Moderator, Partner editor and Translator groups with their "
        "permissions, and the 'Network review' workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        groups = setup_roles()
        for name, group in groups.items():
            self.stdout.write(
                _("%(group)s: %(pages)d page permissions, %(others)d other permissions")
                % {
                    "group": name,
                    "pages": GroupPagePermission.objects.filter(group=group).count(),
                    "others": group.permissions.count() + group.collection_permissions.count(),
                }
            )
        self.stdout.write(
            _("Workflow '%(workflow)s' on %(count)d index pages")
            % {
                "workflow": WORKFLOW_NAME,
                "count": WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).count(),
            }
        )
