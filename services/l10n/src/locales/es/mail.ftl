# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }: completa el inicio de sesión
mail-subject-confirm = { $site }: completa el inicio de sesión
mail-subject-reverify = { $site }: vuelve a confirmar tu dirección de correo electrónico
mail-subject-reset = { $site }: completa el restablecimiento de tu contraseña
mail-subject-transition = { $site }: completa el inicio de sesión

## The first paragraph

mail-intro-new = { $site } pidió a { -brand-name } que terminara de crear tu cuenta para { $email }.
mail-intro-confirm = { $site } pidió a { -brand-name } que confirmara { $email } como tu dirección de correo electrónico.
mail-intro-reverify = Tu contraseña de { -brand-name } se restableció, así que tienes que volver a confirmar { $email } antes de usarla. { $site } solicitó este mensaje.
mail-intro-reset = { $site } pidió a { -brand-name } que restableciera la contraseña de { $email }.
mail-intro-transition = { $site } pidió a { -brand-name } que terminara de iniciar tu sesión como { $email }.

mail-open-link = Para continuar, abre este enlace:
mail-button = Continuar
mail-ignore = Si no lo has solicitado, puedes ignorar este mensaje: no cambiará nada mientras no se abra el enlace.
mail-footer = Enviado por { -brand-name } para { $site }.

## Aviso al titular de la cuenta

mail-subject-signin-failures = Contraseñas incorrectas en tu cuenta de { -brand-name }
mail-notice-signin-failures = Alguien, quizá tú, escribió { $count } veces una contraseña incorrecta al iniciar sesión en { -brand-name } como { $email }. A partir de ahora, cada nuevo intento con contraseña tendrá que esperar un poco más.
mail-notice-signin-failures-safe = Tu cuenta no está bloqueada y tu contraseña no ha cambiado. Los navegadores con los que ya iniciaste sesión no tienen que esperar.
mail-notice-signin-failures-reset = Si no fuiste tú, no tienes que hacer nada. Si olvidaste tu contraseña, restablécela desde la ventana de inicio de sesión: el enlace que te enviamos inicia tu sesión al instante.
mail-footer-notice = Enviado por { -brand-name } al titular de esta cuenta.
