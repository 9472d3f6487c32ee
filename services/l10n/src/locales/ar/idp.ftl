# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = تسجيل الدخول إلى { -brand-name }
idp-auth-explain = يضمن { -brand-name } العنوان { $email }. أدخل كلمة المرور الخاصة بك في { -brand-name } للمتابعة.
idp-auth-wrong = كلمة المرور هذه غير صحيحة.
idp-auth-no-email = تحتاج هذه الصفحة إلى عنوان بريد إلكتروني: يُرجى البدء من جديد من الموقع الذي كنت تسجّل الدخول إليه.
