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

## Hinweis an den Kontoinhaber

mail-subject-signin-failures = Falsche Passwörter für Ihr { -brand-name }-Konto
mail-notice-signin-failures = Jemand, vielleicht Sie selbst, hat bei der Anmeldung bei { -brand-name } als { $email } { $count } Mal ein falsches Passwort eingegeben. Ab jetzt muss jeder weitere Versuch mit einem Passwort etwas länger warten.
mail-notice-signin-failures-safe = Ihr Konto ist nicht gesperrt und Ihr Passwort wurde nicht geändert. Browser, mit denen Sie sich schon einmal angemeldet haben, müssen nicht warten.
mail-notice-signin-failures-reset = Wenn Sie das nicht waren, müssen Sie nichts tun. Wenn Sie Ihr Passwort vergessen haben, setzen Sie es im Anmeldefenster zurück: Der Link in der E-Mail meldet Sie sofort an.
mail-footer-notice = Von { -brand-name } an den Inhaber dieses Kontos gesendet.
