# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Iniciar sesión en { -brand-name }
idp-auth-explain = { -brand-name } responde por { $email }. Introduce tu contraseña de { -brand-name } para continuar.
idp-auth-wrong = Esa contraseña no es correcta.
idp-auth-no-email = Esta página necesita una dirección de correo electrónico: empieza de nuevo desde el sitio en el que querías iniciar sesión.

## /check_idp: the support-document checker

idp-check-heading = Comprobar un proveedor de identidad
idp-check-intro = Escribe el dominio de un proveedor de correo para saber si admite BrowserID y, si su documento de compatibilidad tiene algún problema, qué hay que corregir. { -brand-name } obtiene el documento igual que cuando alguien usa ese dominio.
idp-check-field-domain = Dominio
idp-check-action = Comprobar
idp-check-checking = Obteniendo el documento de compatibilidad de { $domain }…
idp-check-throttled = Demasiadas comprobaciones desde tu red. Espera un minuto y vuelve a intentarlo.
idp-check-chain = Delegación: { $chain }
idp-check-detail = Detalle técnico: { $detail }

idp-check-severity-ok = Correcto
idp-check-severity-info = Nota
idp-check-severity-warning = Advertencia
idp-check-severity-error = Problema

idp-check-verdict-primary = { $domain } es un proveedor de identidad BrowserID.
idp-check-verdict-secondary = { $domain } no es un proveedor de identidad: { -brand-name } responde por sus direcciones.
idp-check-verdict-disabled = { $domain } ha desactivado BrowserID.
idp-check-verdict-broken = { $domain } no podrá funcionar como proveedor de identidad hasta que se corrija el problema que aparece abajo.

idp-check-bad-domain = «{ $domain }» no es un nombre de dominio. Escribe un dominio como example.com.
idp-check-unreachable = No se pudo usar { $url }. Sírvelo por https, con un certificado válido, estado 200 y un cuerpo JSON.
idp-check-no-document = { $domain } no publica ningún { "/.well-known/browserid" }, así que no es un proveedor de identidad BrowserID: sus usuarios inician sesión con una contraseña de { -brand-name }, y { -brand-name } confirma sus direcciones por correo.
idp-check-delegate-missing = { $domain }, en quien delega { $from }, no publica ningún documento de compatibilidad.
idp-check-bad-document = El documento de compatibilidad de { $domain } no se puede usar: { $problem ->
        [too-large] ocupa más de 64 KiB.
        [not-json] no es JSON válido.
        [not-object] no es un objeto JSON.
        [bad-authority] su campo { "\"authority\"" } no es un nombre de dominio.
        [missing-authentication] falta el campo { "\"authentication\"" }. Añade la ruta de tu página de inicio de sesión, por ejemplo { "/sign_in" }.
        [missing-provisioning] falta el campo { "\"provisioning\"" }. Añade la ruta de tu página de aprovisionamiento, por ejemplo { "/provision" }.
        [bad-authentication-path] su campo { "\"authentication\"" } no es una ruta del dominio: debe empezar por { "/" } (no se admite una URL completa).
        [bad-provisioning-path] su campo { "\"provisioning\"" } no es una ruta del dominio: debe empezar por { "/" } (no se admite una URL completa).
        [missing-public-key] falta el campo { "\"public-key\"" }. Añade la clave pública con la que tu página de aprovisionamiento firma los certificados.
       *[bad-public-key] su campo { "\"public-key\"" } no es una clave utilizable.
    }
idp-check-disabled = { $domain } desactiva BrowserID ({ "\"disabled\": true" }): nadie puede iniciar sesión con sus direcciones, ni siquiera con una contraseña de { -brand-name }.
idp-check-delegation-loop = La delegación da vueltas en círculo: { $chain }. Rompe el círculo: uno de estos dominios debe publicar su propia clave y sus propias páginas en lugar de delegar.
idp-check-delegates = { $domain } delega en { $authority }.
idp-check-too-many-delegations = Más de { $max } delegaciones: los verificadores dejan de seguirlas antes de llegar a una clave. Delega directamente en el dominio que publica la clave.
idp-check-supported = { $domain } admite BrowserID.
idp-check-key = { $bits ->
        [0] Su clave pública: { $algorithm }.
       *[other] Su clave pública: { $algorithm }, { $bits } bits.
    }
idp-check-weak-key = Una clave RSA de { $bits } bits es débil: usa al menos { $min } bits.
idp-check-pages = Página de inicio de sesión: { $authentication } · Página de aprovisionamiento: { $provisioning }
idp-check-same-pages = La página de inicio de sesión y la de aprovisionamiento son la misma página. Deberían ser dos: una muestra un formulario y la otra funciona oculta.
