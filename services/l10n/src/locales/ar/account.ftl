# SPDX-License-Identifier: MPL-2.0

account-signin-heading = سجّل الدخول إلى حسابك على { -brand-name }
account-signin-primary-hint = إذا كان مزوّد بريدك الإلكتروني يدعم { -brand-name }، فاترك كلمة المرور فارغة: ستسجّل الدخول عبر مزوّدك.
account-signin-mismatch = عنوان البريد الإلكتروني وكلمة المرور هذان لا يطابقان أي حساب.
account-forgot-need-email = أدخل عنوان بريدك الإلكتروني أولًا.
account-forgot-sent = أرسلنا رسالة إلى { $email }. انقر الرابط الموجود فيها لاختيار كلمة مرور جديدة.

account-heading = حسابك على { -brand-name }
account-emails-heading = عناوين بريدك الإلكتروني
account-remove = إزالة
account-remove-label = إزالة { $email }
account-remove-confirm = هل تريد إزالة { $email } من حسابك؟
account-removed = أُزيل { $email }.

account-add-heading = إضافة عنوان بريد إلكتروني
account-add-choose-password = اختر كلمة مرور
account-add-submit = إضافة العنوان
account-check-email-heading = تحقّق من بريدك الإلكتروني
account-check-email-add = أرسلنا رسالة إلى { $email }. انقر الرابط الموجود فيها لإضافة العنوان.
account-email-sent = أُرسلت رسالة إلى { $email }.
account-back = العودة إلى حسابك
account-added = أُضيف { $email }.
account-add-failed = تعذّرت إضافة { $email }.

account-password-heading = تغيير كلمة المرور
account-password-submit = تغيير كلمة المرور
account-password-changing = جارٍ تغيير كلمة المرور…
account-password-wrong = كلمة المرور الحالية غير صحيحة.
account-password-changed = تم تغيير كلمة المرور.

account-cancel-heading = حذف حسابك
account-cancel-explain = سيؤدي هذا إلى إزالة كل العناوين وحذف الحساب. لا يمكن التراجع عن ذلك.
account-cancel-confirm = نعم، احذف حسابي
account-cancel-submit = حذف الحساب
account-cancel-tick = ضع علامة في المربع للتأكيد.
account-cancelling = جارٍ حذف حسابك…
account-cancelled = حُذف حسابك.
account-signed-out = سجّلت الخروج.

## Re-verification

account-unverified = غير مؤكَّد
account-reverify = التأكيد مرة أخرى
account-reverify-label = تأكيد { $email } مرة أخرى
account-reverify-sent = أرسلنا رسالة إلى { $email }. انقر الرابط الموجود فيها لتأكيد العنوان مرة أخرى.
account-reverified = تم تأكيد { $email }.
account-unverified-hint = بعد إعادة تعيين كلمة المرور، يجب تأكيد عناوينك الأخرى مرة أخرى قبل استخدامها.
