from django.urls import path

from guanai.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("report/", views.report_start, name="report_start"),
    path("report/<int:child_pk>/", views.report_create, name="report_create"),
    path("cases/<int:case_pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_pk>/grade/", views.case_grade, name="case_grade"),
    path("cases/<int:case_pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:case_pk>/steps/", views.step_create, name="step_create"),
    path("cases/<int:case_pk>/tasks/", views.task_create, name="task_create"),
    path("cases/<int:case_pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:case_pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("steps/<int:step_pk>/document/", views.step_document, name="step_document"),
    path("figures/", views.figures, name="figures"),
]
