# SPDX-License-Identifier: MPL-2.0

link-checking = جارٍ التحقق من الرابط…
link-incomplete = الرابط غير مكتمل. يُرجى نسخ الرابط كاملًا من الرسالة.
link-failed-heading = لم يعمل هذا الرابط
link-used-or-expired = سبق استخدام هذا الرابط أو انتهت صلاحيته.
link-go-to-account = الانتقال إلى حسابك على { -brand-name }

link-password-heading = أدخل كلمة المرور
link-new-password-heading = اختر كلمة مرور جديدة
link-save-password = حفظ كلمة المرور
link-confirm = تأكيد
link-need-password = يُرجى إدخال كلمة المرور.
link-wrong-password = كلمة المرور هذه غير صحيحة.

link-confirmed-heading = تم تأكيد عنوانك
link-confirmed-body = { $email } جاهز للاستخدام.
link-confirmed-announce = تم تأكيد العنوان.
link-reset-heading = أُعيد تعيين كلمة المرور
link-reset-body = يمكن لـ { $email } تسجيل الدخول بكلمة المرور الجديدة.
link-reset-announce = أُعيد تعيين كلمة المرور.
link-continue-elsewhere = إذا بدأت تسجيل الدخول إلى موقع في نافذة أخرى، فسيتابع هناك. يمكنك إغلاق هذه الصفحة.
link-manage-account = إدارة حسابك على { -brand-name }

link-return-to-site = المتابعة إلى { $site }
