# SPDX-License-Identifier: MPL-2.0

account-signin-heading = Inicia sesión en tu cuenta de { -brand-name }
account-signin-primary-hint = Si tu proveedor de correo admite { -brand-name }, deja la contraseña en blanco: iniciarás sesión con tu proveedor.
account-signin-mismatch = Esa dirección de correo electrónico y esa contraseña no corresponden a ninguna cuenta.
account-forgot-need-email = Primero introduce tu dirección de correo electrónico.
account-forgot-sent = Hemos enviado un mensaje a { $email }. Haz clic en el enlace que contiene para elegir una nueva contraseña.

account-heading = Tu cuenta de { -brand-name }
account-emails-heading = Tus direcciones de correo electrónico
account-remove = Quitar
account-remove-label = Quitar { $email }
account-remove-confirm = ¿Quitar { $email } de tu cuenta?
account-removed = Se ha quitado { $email }.

account-add-heading = Añadir una dirección de correo electrónico
account-add-choose-password = Elige una contraseña
account-add-submit = Añadir dirección
account-check-email-heading = Revisa tu correo
account-check-email-add = Hemos enviado un mensaje a { $email }. Haz clic en el enlace que contiene para añadir la dirección.
account-email-sent = Correo enviado a { $email }.
account-back = Volver a tu cuenta
account-added = Se ha añadido { $email }.
account-add-failed = No se ha podido añadir { $email }.

account-password-heading = Cambia tu contraseña
account-password-submit = Cambiar contraseña
account-password-changing = Cambiando tu contraseña…
account-password-wrong = La contraseña actual no es correcta.
account-password-changed = Tu contraseña se ha cambiado.

account-cancel-heading = Eliminar tu cuenta
account-cancel-explain = Se quitarán todas las direcciones y se borrará la cuenta. No se puede deshacer.
account-cancel-confirm = Sí, eliminar mi cuenta
account-cancel-submit = Eliminar cuenta
account-cancel-tick = Marca la casilla para confirmar.
account-cancelling = Eliminando tu cuenta…
account-cancelled = Tu cuenta se ha eliminado.
account-signed-out = Has cerrado la sesión.

## Re-verification

account-unverified = Sin confirmar
account-reverify = Volver a confirmar
account-reverify-label = Volver a confirmar { $email }
account-reverify-sent = Hemos enviado un mensaje a { $email }. Haz clic en el enlace que contiene para volver a confirmar la dirección.
account-reverified = { $email } está confirmada.
account-unverified-hint = Después de restablecer la contraseña, tienes que volver a confirmar tus otras direcciones antes de usarlas.
