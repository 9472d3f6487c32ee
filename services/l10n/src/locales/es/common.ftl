# SPDX-License-Identifier: MPL-2.0
# Español (tuteo). Glosario: glossary.json.

-brand-name = Persona

## Page shells

page-title-account = Tu cuenta de { -brand-name }
page-title-sign-in = Iniciar sesión · { -brand-name }
page-title-sign-in-to = Iniciar sesión en { $site } · { -brand-name }
page-title-confirm = Confirma tu dirección de correo electrónico · { -brand-name }
page-title-reset = Restablece tu contraseña · { -brand-name }
page-title-not-found = Página no encontrada · { -brand-name }
page-title-check-idp = Comprobar un proveedor de identidad · { -brand-name }
shell-sign-in-to = Iniciar sesión en
shell-footer = { -brand-name } · tu dirección de correo electrónico es tu identidad
shell-brand = { -brand-name }
not-found-heading = Página no encontrada
not-found-body = No hay nada en esta dirección.
not-found-link = Ir a tu cuenta de { -brand-name }

## Form fields

field-email = Dirección de correo electrónico
field-new-email = Nueva dirección de correo electrónico
field-password = Contraseña
field-current-password = Contraseña actual
field-new-password = Nueva contraseña
field-repeat-password = Repite la contraseña
field-repeat-new-password = Repite la nueva contraseña

## Buttons

action-next = Siguiente
action-continue = Continuar
action-cancel = Cancelar
action-back = Atrás
action-sign-in = Iniciar sesión
action-sign-out = Cerrar sesión
action-try-again = Volver a intentarlo
action-forgot-password = ¿Olvidaste tu contraseña?
action-use-another = Usar otra dirección

## Progress

status-loading = Cargando
status-checking-address = Comprobando tu dirección…
status-signing-in = Iniciando sesión…
status-signing-out = Cerrando sesión…
status-sending-email = Enviándote un correo…
status-saving = Guardando…
status-signed-in-as = Has iniciado sesión como { $email }.

## Passwords

password-hint = De 8 a 80 caracteres.
password-too-short = La contraseña debe tener al menos 8 caracteres.
password-too-long = La contraseña debe tener como máximo 80 caracteres.
password-length = La contraseña debe tener entre 8 y 80 caracteres.
password-mismatch = Las contraseñas no coinciden.

## Errors

error-email-invalid = Introduce una dirección de correo electrónico válida.
error-throttled = Se han enviado demasiados correos a esa dirección. Vuelve a intentarlo dentro de un minuto.
error-busy = { -brand-name } está muy ocupado en este momento. Vuelve a intentarlo.
error-network = No se puede conectar con { -brand-name }. Comprueba tu conexión y vuelve a intentarlo.
error-generic = Algo ha salido mal. Vuelve a intentarlo.
error-signed-out = Ya no tienes la sesión iniciada. Empieza de nuevo.
error-no-such-address = No hay ninguna cuenta con esa dirección de correo electrónico.
error-already-verified = Esa dirección de correo electrónico ya está confirmada.
error-not-yours = Esa dirección de correo electrónico no pertenece a tu cuenta.
error-needs-reverify = Tienes que volver a confirmar esa dirección de correo electrónico antes de usarla.
error-cookies = Tu navegador no ha guardado la cookie de { -brand-name }. Permite las cookies para este sitio y vuelve a intentarlo.

## Primary identity providers

primary-heading = Iniciar sesión con { $issuer }
primary-managed = { $issuer } gestiona { $email }.
primary-explain = Inicia sesión en { $issuer } para confirmar que eres tú; después volverás aquí.
primary-continue = Continuar a { $issuer }
primary-asking = Pidiendo a { $issuer } que confirme { $email }…
primary-failed = { $issuer } no ha podido iniciar tu sesión. Vuelve a intentarlo más tarde.
primary-cancelled = { $issuer } no ha iniciado tu sesión.
primary-no-pages = { $issuer } no indicó dónde iniciar sesión.
