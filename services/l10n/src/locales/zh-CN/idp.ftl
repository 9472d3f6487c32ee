# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = 登录 { -brand-name }
idp-auth-explain = { -brand-name } 为 { $email } 提供担保。请输入您的 { -brand-name } 密码以继续。
idp-auth-wrong = 密码不正确。
idp-auth-no-email = 此页面需要一个电子邮件地址：请从您要登录的网站重新开始。

## /check_idp: the support-document checker

idp-check-heading = 检查身份提供方
idp-check-intro = 输入电子邮件服务商的域名，即可查看它是否支持 BrowserID；如果它的支持文档有问题，还会告诉您该如何修正。{ -brand-name } 获取该文档的方式与有人使用该域名时完全相同。
idp-check-field-domain = 域名
idp-check-action = 检查
idp-check-checking = 正在获取 { $domain } 的支持文档…
idp-check-throttled = 来自您网络的检查次数过多。请等待一分钟后重试。
idp-check-chain = 委托：{ $chain }
idp-check-detail = 技术细节：{ $detail }

idp-check-severity-ok = 正常
idp-check-severity-info = 提示
idp-check-severity-warning = 警告
idp-check-severity-error = 问题

idp-check-verdict-primary = { $domain } 是 BrowserID 身份提供方。
idp-check-verdict-secondary = { $domain } 不是身份提供方：{ -brand-name } 为其地址提供担保。
idp-check-verdict-disabled = { $domain } 已关闭 BrowserID。
idp-check-verdict-broken = 在修正下方的问题之前，{ $domain } 无法作为身份提供方使用。

idp-check-bad-domain = “{ $domain }”不是域名。请输入类似 example.com 的域名。
idp-check-unreachable = 无法使用 { $url }。请通过 https 提供该文件，使用有效证书、状态码 200 和 JSON 内容。
idp-check-no-document = { $domain } 没有发布 { "/.well-known/browserid" }，因此不是 BrowserID 身份提供方：其用户使用 { -brand-name } 密码登录，并由 { -brand-name } 通过电子邮件确认他们的地址。
idp-check-delegate-missing = { $from } 所委托的 { $domain } 没有发布支持文档。
idp-check-bad-document = { $domain } 的支持文档无法使用：{ $problem ->
        [too-large] 文档超过 64 KiB。
        [not-json] 文档不是有效的 JSON。
        [not-object] 文档不是 JSON 对象。
        [bad-authority] 其 { "\"authority\"" } 字段不是域名。
        [missing-authentication] 缺少 { "\"authentication\"" } 字段。请添加登录页面的路径，例如 { "/sign_in" }。
        [missing-provisioning] 缺少 { "\"provisioning\"" } 字段。请添加配置页面的路径，例如 { "/provision" }。
        [bad-authentication-path] 其 { "\"authentication\"" } 字段不是该域名上的路径：必须以 { "/" } 开头（不能是完整的 URL）。
        [bad-provisioning-path] 其 { "\"provisioning\"" } 字段不是该域名上的路径：必须以 { "/" } 开头（不能是完整的 URL）。
        [missing-public-key] 缺少 { "\"public-key\"" } 字段。请添加您的配置页面签发证书所用的公钥。
       *[bad-public-key] 其 { "\"public-key\"" } 字段不是可用的密钥。
    }
idp-check-disabled = { $domain } 关闭了 BrowserID（{ "\"disabled\": true" }）：任何人都无法使用其地址登录，即使使用 { -brand-name } 密码也不行。
idp-check-delegation-loop = 委托形成了循环：{ $chain }。要打破循环，其中一个域名必须停止委托，改为发布自己的密钥和页面。
idp-check-delegates = { $domain } 委托给 { $authority }。
idp-check-too-many-delegations = 委托超过 { $max } 次：验证方在找到密钥之前就会停止追踪。请直接委托给发布密钥的域名。
idp-check-supported = { $domain } 支持 BrowserID。
idp-check-key = { $bits ->
        [0] 其公钥：{ $algorithm }。
       *[other] 其公钥：{ $algorithm }，{ $bits } 位。
    }
idp-check-weak-key = { $bits } 位的 RSA 密钥强度不足：请至少使用 { $min } 位。
idp-check-pages = 登录页面：{ $authentication } · 配置页面：{ $provisioning }
idp-check-same-pages = 登录页面和配置页面是同一个页面。应当是两个页面：一个显示表单，另一个在后台隐藏运行。
