# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = Inicia sesión con tu dirección de correo electrónico
dialog-legal = Al continuar, aceptas las { $terms } y la { $privacy } de { $site }.
dialog-legal-terms = Condiciones del servicio
dialog-legal-privacy = Política de privacidad

dialog-add-heading = Añadir una dirección de correo electrónico
dialog-add-submit = Añadir

dialog-password-heading = Introduce tu contraseña
dialog-error-wrong-password = Esa contraseña no es correcta.
dialog-error-locked = Demasiadas contraseñas incorrectas para esta cuenta. Espera un momento y vuelve a intentarlo, o restablece tu contraseña.
dialog-confirmed-enter-password = Tu dirección está confirmada. Introduce tu contraseña para terminar de iniciar sesión.

dialog-new-password-heading = Crea una contraseña
dialog-choose-password-heading = Elige una contraseña
dialog-create-account = Crear cuenta

## "Remember you?"

dialog-computer-heading = ¿Te recordamos?
dialog-computer-question = ¿Cuánto tiempo quieres mantener la sesión iniciada en { -brand-name }?
dialog-computer-mine = Un mes
dialog-computer-mine-hint = Confío en este ordenador.
dialog-computer-not-mine = Solo esta sesión
dialog-computer-not-mine-hint = Este no es mi ordenador: cierra mi sesión en menos de una hora.
dialog-computer-fine = Puedes cerrar la sesión de { -brand-name } en cualquier momento.
dialog-computer-announce = Sesión iniciada. ¿Cuánto tiempo quieres mantenerla?
dialog-computer-remembering = Guardando tu elección…

## Waiting for the emailed link

dialog-check-email-heading = Revisa tu correo
dialog-check-email-sent = Hemos enviado un mensaje a { $email }.
dialog-check-email-confirm = Haz clic en el enlace que contiene para confirmar la dirección. Esta ventana continuará por sí sola.
dialog-check-email-reset = Haz clic en el enlace que contiene para elegir una nueva contraseña.
dialog-check-email-announce = Correo enviado a { $email }. Esperando a que hagas clic en el enlace.

## Choosing an address

dialog-pick-heading = Iniciar sesión en { $site }
dialog-pick-legend = Elige una dirección de correo electrónico
dialog-pick-add = Añadir otra dirección de correo electrónico
dialog-pick-not-me = No soy yo
dialog-pick-none = Elige una dirección.

## Primary identity providers

dialog-provisioning-heading = Consultando con { $issuer }

## Done

dialog-signed-in-heading = Sesión iniciada
dialog-signed-in-body = Iniciando sesión en { $site } como { $email }…

## Errors

dialog-error-heading = Algo ha salido mal
dialog-error-start-again = No ha funcionado. Empieza de nuevo.
dialog-error-no-opener = Esta ventana debe abrirla un sitio que use { -brand-name }.
dialog-error-bad-redirect = Este enlace de inicio de sesión no es válido. Vuelve atrás e inténtalo de nuevo.
dialog-error-idp-offline = El proveedor de identidad de { $email } no está disponible en este momento. Vuelve a intentarlo más tarde.

## Re-verification

dialog-reverify-heading = Vuelve a confirmar tu dirección
dialog-reverify-explain = Tu contraseña se restableció, así que tienes que volver a confirmar { $email } antes de usarla. Enviaremos un mensaje con un enlace a esa dirección.
dialog-reverify-send = Enviar el correo
dialog-check-email-reverify = Haz clic en el enlace que contiene para volver a confirmar la dirección. Esta ventana continuará por sí sola.

## Cookies disabled

dialog-cookies-heading = { -brand-name } necesita cookies
dialog-cookies-explain = Tu navegador no permite que { -brand-name } guarde una cookie, así que no puede recordar que estás iniciando sesión. Permite las cookies para { $persona } en la configuración de tu navegador y vuelve a intentarlo.
