# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = تسجيل الدخول إلى { -brand-name }
idp-auth-explain = يضمن { -brand-name } العنوان { $email }. أدخل كلمة المرور الخاصة بك في { -brand-name } للمتابعة.
idp-auth-wrong = كلمة المرور هذه غير صحيحة.
idp-auth-no-email = تحتاج هذه الصفحة إلى عنوان بريد إلكتروني: يُرجى البدء من جديد من الموقع الذي كنت تسجّل الدخول إليه.

## /check_idp: the support-document checker

idp-check-heading = فحص مزوّد هوية
idp-check-intro = اكتب نطاق مزوّد بريد إلكتروني لتعرف هل يدعم BrowserID، وما الذي يجب إصلاحه إن كانت في مستند الدعم الخاص به مشكلة. يجلب { -brand-name } المستند بالطريقة نفسها التي يجلبه بها حين يستخدم أحدٌ هذا النطاق.
idp-check-field-domain = النطاق
idp-check-action = افحص
idp-check-checking = جارٍ جلب مستند الدعم الخاص بـ { $domain }…
idp-check-throttled = عمليات فحص كثيرة جدًا من شبكتك. انتظر دقيقة ثم حاول مرة أخرى.
idp-check-chain = التفويض: { $chain }
idp-check-detail = تفاصيل تقنية: { $detail }

idp-check-severity-ok = سليم
idp-check-severity-info = ملاحظة
idp-check-severity-warning = تحذير
idp-check-severity-error = مشكلة

idp-check-verdict-primary = { $domain } مزوّد هوية يدعم BrowserID.
idp-check-verdict-secondary = { $domain } ليس مزوّد هوية: يضمن { -brand-name } عناوينه.
idp-check-verdict-disabled = أوقف { $domain } دعم BrowserID.
idp-check-verdict-broken = لا يمكن أن يعمل { $domain } مزوّدَ هوية حتى تُصلَح المشكلة المذكورة أدناه.

idp-check-bad-domain = «{ $domain }» ليس اسم نطاق. اكتب نطاقًا مثل example.com.
idp-check-unreachable = تعذّر استخدام { $url }. قدّمه عبر https، بشهادة صالحة وحالة 200 ومحتوى JSON.
idp-check-no-document = لا ينشر { $domain } الملف { "/.well-known/browserid" }، لذا فهو ليس مزوّد هوية BrowserID: يسجّل مستخدموه الدخول بكلمة مرور { -brand-name }، ويتولى { -brand-name } تأكيد عناوينهم بالبريد الإلكتروني.
idp-check-delegate-missing = لا ينشر { $domain }، الذي يفوّض إليه { $from }، أي مستند دعم.
idp-check-bad-document = لا يمكن استخدام مستند الدعم الخاص بـ { $domain }: { $problem ->
        [too-large] حجمه أكبر من 64 KiB.
        [not-json] ليس JSON صالحًا.
        [not-object] ليس كائن JSON.
        [bad-authority] الحقل { "\"authority\"" } فيه ليس اسم نطاق.
        [missing-authentication] الحقل { "\"authentication\"" } مفقود. أضف مسار صفحة تسجيل الدخول لديك، مثل { "/sign_in" }.
        [missing-provisioning] الحقل { "\"provisioning\"" } مفقود. أضف مسار صفحة التزويد لديك، مثل { "/provision" }.
        [bad-authentication-path] الحقل { "\"authentication\"" } فيه ليس مسارًا على النطاق: يجب أن يبدأ بـ { "/" } (لا يُقبل عنوان URL كامل).
        [bad-provisioning-path] الحقل { "\"provisioning\"" } فيه ليس مسارًا على النطاق: يجب أن يبدأ بـ { "/" } (لا يُقبل عنوان URL كامل).
        [missing-public-key] الحقل { "\"public-key\"" } مفقود. أضف المفتاح العام الذي توقّع به صفحة التزويد لديك الشهادات.
       *[bad-public-key] الحقل { "\"public-key\"" } فيه ليس مفتاحًا صالحًا للاستخدام.
    }
idp-check-disabled = يوقف { $domain } دعم BrowserID ({ "\"disabled\": true" }): لا يمكن لأحد تسجيل الدخول بعناوينه، ولا حتى بكلمة مرور { -brand-name }.
idp-check-delegation-loop = التفويض يدور في حلقة: { $chain }. اكسر الحلقة: يجب أن ينشر أحد هذه النطاقات مفتاحه وصفحاته الخاصة بدلًا من التفويض.
idp-check-delegates = يفوّض { $domain } إلى { $authority }.
idp-check-too-many-delegations = أكثر من { $max } تفويضات: يتوقف المتحقِّقون عن تتبّعها قبل الوصول إلى مفتاح. فوّض مباشرةً إلى النطاق الذي ينشر المفتاح.
idp-check-supported = يدعم { $domain } BrowserID.
idp-check-key = { $bits ->
        [0] مفتاحه العام: { $algorithm }.
       *[other] مفتاحه العام: { $algorithm }، بطول { $bits } بت.
    }
idp-check-weak-key = مفتاح RSA بطول { $bits } بت ضعيف: استخدم مفتاحًا بطول { $min } بت على الأقل.
idp-check-pages = صفحة تسجيل الدخول: { $authentication } · صفحة التزويد: { $provisioning }
idp-check-same-pages = صفحة تسجيل الدخول وصفحة التزويد هما الصفحة نفسها. يجب أن تكونا صفحتين: واحدة تعرض نموذجًا، والأخرى تعمل مخفيةً.
