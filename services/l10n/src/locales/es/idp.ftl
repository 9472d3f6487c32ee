# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Iniciar sesión en { -brand-name }
idp-auth-explain = { -brand-name } responde por { $email }. Introduce tu contraseña de { -brand-name } para continuar.
idp-auth-wrong = Esa contraseña no es correcta.
idp-auth-no-email = Esta página necesita una dirección de correo electrónico: empieza de nuevo desde el sitio en el que querías iniciar sesión.
