# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }: Anmeldung abschließen
mail-subject-confirm = { $site }: Anmeldung abschließen
mail-subject-reverify = { $site }: Bestätigen Sie Ihre E-Mail-Adresse erneut
mail-subject-reset = { $site }: Passwort-Zurücksetzung abschließen
mail-subject-transition = { $site }: Anmeldung abschließen

## The first paragraph

mail-intro-new = { $site } hat { -brand-name } gebeten, Ihr Konto für { $email } fertig einzurichten.
mail-intro-confirm = { $site } hat { -brand-name } gebeten, { $email } als Ihre E-Mail-Adresse zu bestätigen.
mail-intro-reverify = Ihr { -brand-name }-Passwort wurde zurückgesetzt, daher muss { $email } erneut bestätigt werden, bevor Sie die Adresse verwenden. { $site } hat diese Nachricht angefordert.
mail-intro-reset = { $site } hat { -brand-name } gebeten, das Passwort für { $email } zurückzusetzen.
mail-intro-transition = { $site } hat { -brand-name } gebeten, Ihre Anmeldung als { $email } abzuschließen.

mail-open-link = Um fortzufahren, öffnen Sie diesen Link:
mail-button = Weiter
mail-ignore = Wenn Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren: Ohne den Link ändert sich nichts.
mail-footer = Von { -brand-name } für { $site } gesendet.
