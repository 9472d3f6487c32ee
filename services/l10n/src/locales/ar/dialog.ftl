# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = سجّل الدخول بعنوان بريدك الإلكتروني
dialog-legal = بالمتابعة، فإنك توافق على { $terms } و{ $privacy } لدى { $site }.
dialog-legal-terms = شروط الخدمة
dialog-legal-privacy = سياسة الخصوصية

dialog-add-heading = إضافة عنوان بريد إلكتروني
dialog-add-submit = إضافة

dialog-password-heading = أدخل كلمة المرور
dialog-error-wrong-password = كلمة المرور هذه غير صحيحة.
dialog-error-locked = كلمات مرور خاطئة كثيرة لهذا الحساب. انتظر قليلًا ثم حاول مجددًا، أو أعد تعيين كلمة المرور.
dialog-confirmed-enter-password = تم تأكيد عنوانك. أدخل كلمة المرور لإكمال تسجيل الدخول.

dialog-new-password-heading = أنشئ كلمة مرور
dialog-choose-password-heading = اختر كلمة مرور
dialog-create-account = إنشاء الحساب

## "Remember you?"

dialog-computer-heading = هل نتذكرك؟
dialog-computer-question = إلى متى تريد أن تبقى مسجّل الدخول في { -brand-name }؟
dialog-computer-mine = شهرًا واحدًا
dialog-computer-mine-hint = أثق بهذا الحاسوب.
dialog-computer-not-mine = هذه الجلسة فقط
dialog-computer-not-mine-hint = هذا ليس حاسوبي: سجّل خروجي خلال ساعة.
dialog-computer-fine = يمكنك تسجيل الخروج من { -brand-name } في أي وقت.
dialog-computer-announce = سجّلت الدخول. إلى متى تريد أن تبقى مسجّل الدخول؟
dialog-computer-remembering = جارٍ حفظ اختيارك…

## Waiting for the emailed link

dialog-check-email-heading = تحقّق من بريدك الإلكتروني
dialog-check-email-sent = أرسلنا رسالة إلى { $email }.
dialog-check-email-confirm = انقر الرابط الموجود فيها لتأكيد العنوان. ستتابع هذه النافذة من تلقاء نفسها.
dialog-check-email-reset = انقر الرابط الموجود فيها لاختيار كلمة مرور جديدة.
dialog-check-email-announce = أُرسلت رسالة إلى { $email }. في انتظار نقرك على الرابط.

## Choosing an address

dialog-pick-heading = تسجيل الدخول إلى { $site }
dialog-pick-legend = اختر عنوان بريد إلكتروني
dialog-pick-add = إضافة عنوان بريد إلكتروني آخر
dialog-pick-not-me = هذا ليس أنا
dialog-pick-none = يُرجى اختيار عنوان.

## Primary identity providers

dialog-provisioning-heading = جارٍ التحقق لدى { $issuer }

## Done

dialog-signed-in-heading = تم تسجيل الدخول
dialog-signed-in-body = جارٍ تسجيل دخولك إلى { $site } باسم { $email }…

## Errors

dialog-error-heading = حدث خطأ ما
dialog-error-start-again = لم ينجح ذلك. يُرجى البدء من جديد.
dialog-error-no-opener = يجب أن يفتح هذه النافذةَ موقعٌ يستخدم { -brand-name }.
dialog-error-bad-redirect = رابط تسجيل الدخول هذا غير صالح. يُرجى الرجوع والمحاولة مرة أخرى.
dialog-error-idp-offline = مزوّد الهوية الخاص بـ { $email } غير متصل حاليًا. يُرجى المحاولة لاحقًا.

## Re-verification

dialog-reverify-heading = أكّد عنوانك مرة أخرى
dialog-reverify-explain = أُعيد تعيين كلمة المرور، لذا يجب تأكيد { $email } مرة أخرى قبل أن تتمكن من استخدامه. سنرسل رسالة تحتوي على رابط إلى هذا العنوان.
dialog-reverify-send = إرسال الرسالة
dialog-check-email-reverify = انقر الرابط الموجود فيها لتأكيد العنوان مرة أخرى. ستتابع هذه النافذة من تلقاء نفسها.

## Cookies disabled

dialog-cookies-heading = يحتاج { -brand-name } إلى ملفات تعريف الارتباط
dialog-cookies-explain = لا يسمح متصفحك لـ { -brand-name } بالاحتفاظ بملف تعريف ارتباط، لذا لا يمكنه تذكّر أنك تسجّل الدخول. اسمح بملفات تعريف الارتباط لـ { $persona } في إعدادات متصفحك، ثم حاول مرة أخرى.
