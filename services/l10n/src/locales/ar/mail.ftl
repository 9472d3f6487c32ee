# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }: أكمل تسجيل الدخول
mail-subject-confirm = { $site }: أكمل تسجيل الدخول
mail-subject-reverify = { $site }: أكّد عنوان بريدك الإلكتروني مرة أخرى
mail-subject-reset = { $site }: أكمل إعادة تعيين كلمة المرور
mail-subject-transition = { $site }: أكمل تسجيل الدخول

## The first paragraph

mail-intro-new = طلب { $site } من { -brand-name } إكمال إنشاء حسابك لـ { $email }.
mail-intro-confirm = طلب { $site } من { -brand-name } تأكيد { $email } بوصفه عنوان بريدك الإلكتروني.
mail-intro-reverify = أُعيد تعيين كلمة المرور الخاصة بك في { -brand-name }، لذا يجب تأكيد { $email } مرة أخرى قبل استخدامه. طلب { $site } هذه الرسالة.
mail-intro-reset = طلب { $site } من { -brand-name } إعادة تعيين كلمة المرور لـ { $email }.
mail-intro-transition = طلب { $site } من { -brand-name } إكمال تسجيل دخولك باسم { $email }.

mail-open-link = للمتابعة، افتح هذا الرابط:
mail-button = متابعة
mail-ignore = إذا لم تطلب ذلك، يمكنك تجاهل هذه الرسالة: لن يتغير شيء ما لم يُفتح الرابط.
mail-footer = أرسلها { -brand-name } نيابةً عن { $site }.

## إشعار لصاحب الحساب

mail-subject-signin-failures = محاولات دخول بكلمة مرور خاطئة إلى حسابك في { -brand-name }
mail-notice-signin-failures = أدخل شخص ما، ربما أنت، كلمة مرور خاطئة { $count } مرات أثناء تسجيل الدخول إلى { -brand-name } باسم { $email }. من الآن، على كل محاولة أخرى بكلمة المرور أن تنتظر وقتًا أطول قليلًا.
mail-notice-signin-failures-safe = حسابك غير مقفل ولم تتغير كلمة المرور. المتصفحات التي سجّلت الدخول بها من قبل لا تنتظر.
mail-notice-signin-failures-reset = إن لم تكن أنت، فلا داعي لفعل أي شيء. إن نسيت كلمة المرور، فأعد تعيينها من نافذة تسجيل الدخول: الرابط المرسل بالبريد يسجّل دخولك فورًا.
mail-footer-notice = أرسلها { -brand-name } إلى صاحب هذا الحساب.
