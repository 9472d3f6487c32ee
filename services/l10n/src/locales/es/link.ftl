# SPDX-License-Identifier: MPL-2.0

link-checking = Comprobando tu enlace…
link-incomplete = El enlace está incompleto. Copia el enlace completo del correo.
link-failed-heading = Este enlace no ha funcionado
link-used-or-expired = Este enlace ya se ha usado o ha caducado.
link-go-to-account = Ir a tu cuenta de { -brand-name }

link-password-heading = Introduce tu contraseña
link-new-password-heading = Elige una nueva contraseña
link-save-password = Guardar contraseña
link-confirm = Confirmar
link-need-password = Introduce tu contraseña.
link-wrong-password = Esa contraseña no es correcta.

link-confirmed-heading = Tu dirección está confirmada
link-confirmed-body = { $email } ya se puede usar.
link-confirmed-announce = Dirección confirmada.
link-reset-heading = Tu contraseña se ha restablecido
link-reset-body = { $email } puede iniciar sesión con la nueva contraseña.
link-reset-announce = Contraseña restablecida.
link-continue-elsewhere = Si empezaste a iniciar sesión en un sitio en otra ventana, continuará allí. Puedes cerrar esta página.
link-manage-account = Gestionar tu cuenta de { -brand-name }

link-return-to-site = Continuar a { $site }
