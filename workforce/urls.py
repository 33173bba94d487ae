from django.urls import path

from .views import special_period, training

urlpatterns = [
    path("people/", training.person_list_view, name="person_list"),
    path("people/new/", training.person_create, name="person_create"),
    path("people/import/", training.person_import, name="person_import"),
    path("people/import/batches/", training.person_import_batches, name="person_import_batches"),
    path("people/import/batches/<id:pk>/undo/", training.person_import_undo, name="person_import_undo"),
    path("people/export/", training.person_export, name="person_export"),
    path("people/print/", training.person_print, name="person_print"),
    path("people/<id:pk>/", training.person_detail_view, name="person_detail"),
    path("people/<id:pk>/edit/", training.person_edit, name="person_edit"),
    path("people/<id:pk>/certificates/", training.certificate_create, name="certificate_create"),
    path("units/", training.work_unit_list_view, name="work_unit_list"),
    path("sessions/", training.training_session_list_view, name="training_session_list"),
    path("sessions/new/", training.training_session_create, name="training_session_create"),
    path("sessions/<id:pk>/", training.training_session_detail_view, name="training_session_detail"),
    path("sessions/<id:pk>/scores/", training.training_scores_save, name="training_scores_save"),
    path("coverage/", training.training_coverage_view, name="training_coverage"),
    path("certificates/", training.certificate_list_view, name="certificate_list"),
    path("positioning/", special_period.positioning_list_view, name="positioning_list"),
    path("positioning/import/", special_period.positioning_import, name="positioning_import"),
    path("positioning/import/batches/", special_period.positioning_import_batches, name="positioning_import_batches"),
    path(
        "positioning/import/batches/<id:pk>/undo/",
        special_period.positioning_import_undo,
        name="positioning_import_undo",
    ),
    path("positioning/export/", special_period.positioning_export, name="positioning_export"),
    path("positioning/print/", special_period.positioning_print, name="positioning_print"),
    path("zero-shift/", special_period.zero_shift_plan_list_view, name="zero_shift_plan_list"),
    path("zero-shift/new/", special_period.zero_shift_plan_create, name="zero_shift_plan_create"),
    path("zero-shift/<id:pk>/", special_period.zero_shift_plan_detail_view, name="zero_shift_plan_detail"),
    path("handovers/", special_period.handover_list_view, name="handover_list"),
    path("handovers/new/", special_period.handover_create, name="handover_create"),
]
