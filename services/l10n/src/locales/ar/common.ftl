# SPDX-License-Identifier: MPL-2.0
# العربية (من اليمين إلى اليسار). المسرد: glossary.json

-brand-name = Persona

## Page shells

page-title-account = حسابك على { -brand-name }
page-title-sign-in = تسجيل الدخول · { -brand-name }
page-title-sign-in-to = تسجيل الدخول إلى { $site } · { -brand-name }
page-title-confirm = تأكيد عنوان بريدك الإلكتروني · { -brand-name }
page-title-reset = إعادة تعيين كلمة المرور · { -brand-name }
page-title-not-found = الصفحة غير موجودة · { -brand-name }
page-title-check-idp = فحص مزوّد هوية · { -brand-name }
shell-sign-in-to = تسجيل الدخول إلى
shell-footer = { -brand-name } · عنوان بريدك الإلكتروني هو هويتك
shell-brand = { -brand-name }
not-found-heading = الصفحة غير موجودة
not-found-body = لا يوجد شيء على هذا العنوان.
not-found-link = الانتقال إلى حسابك على { -brand-name }

## Form fields

field-email = عنوان البريد الإلكتروني
field-new-email = عنوان بريد إلكتروني جديد
field-password = كلمة المرور
field-current-password = كلمة المرور الحالية
field-new-password = كلمة المرور الجديدة
field-repeat-password = أعد كتابة كلمة المرور
field-repeat-new-password = أعد كتابة كلمة المرور الجديدة

## Buttons

action-next = التالي
action-continue = متابعة
action-cancel = إلغاء
action-back = رجوع
action-sign-in = تسجيل الدخول
action-sign-out = تسجيل الخروج
action-try-again = إعادة المحاولة
action-forgot-password = هل نسيت كلمة المرور؟
action-use-another = استخدام عنوان آخر

## Progress

status-loading = جارٍ التحميل
status-checking-address = جارٍ التحقق من عنوانك…
status-signing-in = جارٍ تسجيل الدخول…
status-signing-out = جارٍ تسجيل الخروج…
status-sending-email = جارٍ إرسال رسالة بريد إلكتروني إليك…
status-saving = جارٍ الحفظ…
status-signed-in-as = سجّلت الدخول باسم { $email }.

## Passwords

password-hint = من 8 إلى 80 حرفًا.
password-too-short = يجب ألا تقل كلمة المرور عن 8 أحرف.
password-too-long = يجب ألا تزيد كلمة المرور على 80 حرفًا.
password-length = يجب أن يتراوح طول كلمة المرور بين 8 و80 حرفًا.
password-mismatch = كلمتا المرور غير متطابقتين.

## Errors

error-email-invalid = يُرجى إدخال عنوان بريد إلكتروني صالح.
error-throttled = أُرسلت رسائل كثيرة جدًا إلى هذا العنوان. يُرجى المحاولة مرة أخرى بعد دقيقة.
error-busy = { -brand-name } مشغول حاليًا. يُرجى المحاولة مرة أخرى.
error-network = تعذّر الوصول إلى { -brand-name }. تحقّق من اتصالك وحاول مرة أخرى.
error-generic = حدث خطأ ما. يُرجى المحاولة مرة أخرى.
error-signed-out = لم تعد مسجّل الدخول. يُرجى البدء من جديد.
error-no-such-address = لا يوجد حساب بعنوان البريد الإلكتروني هذا.
error-already-verified = عنوان البريد الإلكتروني هذا مؤكَّد بالفعل.
error-not-yours = عنوان البريد الإلكتروني هذا لا يخص حسابك.
error-needs-reverify = يجب تأكيد عنوان البريد الإلكتروني هذا مرة أخرى قبل أن تتمكن من استخدامه.
error-cookies = لم يحتفظ متصفحك بملف تعريف الارتباط الخاص بـ { -brand-name }. اسمح بملفات تعريف الارتباط لهذا الموقع وحاول مرة أخرى.

## Primary identity providers

primary-heading = تسجيل الدخول عبر { $issuer }
primary-managed = يدير { $issuer } العنوان { $email }.
primary-explain = سجّل الدخول في { $issuer } لتأكيد هويتك، ثم ستعود إلى هنا.
primary-continue = المتابعة إلى { $issuer }
primary-asking = جارٍ الطلب من { $issuer } تأكيد { $email }…
primary-failed = تعذّر على { $issuer } تسجيل دخولك. يُرجى المحاولة لاحقًا.
primary-cancelled = لم يسجّل { $issuer } دخولك.
primary-no-pages = لم يحدد { $issuer } مكان تسجيل الدخول.
