from django.urls import path

from . import authoring_views as authoring
from . import views

urlpatterns = [
    path("", views.campaign_list_view, name="campaign_list"),
    path("new/", authoring.campaign_create, name="campaign_create"),
    path("<id:pk>/", views.campaign_detail, name="campaign_detail"),
    # authoring (issue 21): the campaign's facts, phases, deadlines and task list; publishing; the notice
    path("<id:pk>/edit/", authoring.campaign_edit, name="campaign_edit"),
    path("<id:pk>/publish/", authoring.campaign_publish, name="campaign_publish"),
    path("<id:pk>/adopt/", authoring.campaign_adopt, name="campaign_adopt"),
    path("<id:pk>/notice/", authoring.campaign_notice, name="campaign_notice"),
    path("<id:pk>/task-list/", authoring.task_list_import, name="task_list_import"),
    path("<id:pk>/task-list/save/", authoring.task_list_save, name="task_list_save"),
    path("<id:pk>/phases/new/", authoring.phase_create, name="phase_create"),
    path("phases/<id:pk>/edit/", authoring.phase_edit, name="phase_edit"),
    path("phases/<id:pk>/delete/", authoring.phase_delete, name="phase_delete"),
    path("<id:pk>/deadlines/new/", authoring.deadline_create, name="deadline_create"),
    path("deadlines/<id:pk>/edit/", authoring.deadline_edit, name="deadline_edit"),
    path("deadlines/<id:pk>/delete/", authoring.deadline_delete, name="deadline_delete"),
    path("<id:pk>/requirements/new/", authoring.requirement_create, name="requirement_create"),
    path("requirements/<id:pk>/edit/", authoring.requirement_edit, name="requirement_edit"),
    path("requirements/<id:pk>/delete/", authoring.requirement_delete, name="requirement_delete"),
    path("<id:pk>/progress/", views.progress_view, name="progress"),
    path("<id:pk>/progress/overview/", views.progress_overview_view, name="progress_overview"),
    path("<id:pk>/progress/<id:requirement_pk>/", views.progress_edit, name="progress_edit"),
    path("<id:pk>/progress/<id:requirement_pk>/all/", views.progress_item_view, name="progress_item"),
    path("progress-files/<id:file_pk>/", views.progress_file_download, name="progress_file"),
    # 核验: the bureau's list of declared items, one unit's item with its versions, and the actions on it
    path("<id:pk>/verification/", views.progress_verification, name="progress_verification"),
    path("<id:pk>/verification/batch/", views.progress_verify_batch, name="progress_verify_batch"),
    path("progress-records/<id:pk>/", views.progress_review, name="progress_review"),
    path("progress-records/<id:pk>/verify/", views.progress_verify_view, name="progress_verify"),
    path("progress-records/<id:pk>/return/", views.progress_return_view, name="progress_return"),
    path("<id:pk>/thresholds/", views.campaign_thresholds, name="campaign_thresholds"),
    path("<id:pk>/organisation/", views.campaign_organisation, name="campaign_organisation"),
    path("<id:pk>/organisation/groups/new/", views.working_group_create, name="working_group_create"),
    path("organisation/groups/<id:pk>/edit/", views.working_group_edit, name="working_group_edit"),
    path("organisation/groups/<id:pk>/delete/", views.working_group_delete, name="working_group_delete"),
    path("organisation/groups/<id:pk>/members/new/", views.group_member_create, name="group_member_create"),
    path("organisation/members/<id:pk>/edit/", views.group_member_edit, name="group_member_edit"),
    path("organisation/members/<id:pk>/delete/", views.group_member_delete, name="group_member_delete"),
]
