# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = Mit Ihrer E-Mail-Adresse anmelden
dialog-legal = Wenn Sie fortfahren, stimmen Sie den { $terms } und der { $privacy } von { $site } zu.
dialog-legal-terms = Nutzungsbedingungen
dialog-legal-privacy = Datenschutzerklärung

dialog-add-heading = E-Mail-Adresse hinzufügen
dialog-add-submit = Hinzufügen

dialog-password-heading = Geben Sie Ihr Passwort ein
dialog-error-wrong-password = Das Passwort ist nicht richtig.
dialog-error-locked = Zu viele falsche Passwörter für dieses Konto. Warten Sie einen Moment und versuchen Sie es erneut, oder setzen Sie Ihr Passwort zurück.
dialog-confirmed-enter-password = Ihre Adresse ist bestätigt. Geben Sie Ihr Passwort ein, um die Anmeldung abzuschließen.

dialog-new-password-heading = Passwort erstellen
dialog-choose-password-heading = Passwort wählen
dialog-create-account = Konto erstellen

## "Remember you?"

dialog-computer-heading = Angemeldet bleiben?
dialog-computer-question = Wie lange möchten Sie bei { -brand-name } angemeldet bleiben?
dialog-computer-mine = Einen Monat
dialog-computer-mine-hint = Ich vertraue diesem Computer.
dialog-computer-not-mine = Nur für diese Sitzung
dialog-computer-not-mine-hint = Das ist nicht mein Computer: Melden Sie mich innerhalb einer Stunde ab.
dialog-computer-fine = Sie können sich jederzeit von { -brand-name } abmelden.
dialog-computer-announce = Angemeldet. Wie lange möchten Sie angemeldet bleiben?
dialog-computer-remembering = Wird gespeichert …

## Waiting for the emailed link

dialog-check-email-heading = Sehen Sie in Ihrem Posteingang nach
dialog-check-email-sent = Wir haben eine Nachricht an { $email } gesendet.
dialog-check-email-confirm = Klicken Sie auf den Link darin, um die Adresse zu bestätigen. Dieses Fenster macht danach von selbst weiter.
dialog-check-email-reset = Klicken Sie auf den Link darin, um ein neues Passwort zu wählen.
dialog-check-email-announce = E-Mail an { $email } gesendet. Wir warten, bis Sie auf den Link klicken.

## Choosing an address

dialog-pick-heading = Bei { $site } anmelden
dialog-pick-legend = Wählen Sie eine E-Mail-Adresse
dialog-pick-add = Weitere E-Mail-Adresse hinzufügen
dialog-pick-not-me = Das bin nicht ich
dialog-pick-none = Bitte wählen Sie eine Adresse.

## Primary identity providers

dialog-provisioning-heading = Rückfrage bei { $issuer }

## Done

dialog-signed-in-heading = Angemeldet
dialog-signed-in-body = Sie werden als { $email } bei { $site } angemeldet …

## Errors

dialog-error-heading = Etwas ist schiefgelaufen
dialog-error-start-again = Das hat nicht geklappt. Bitte beginnen Sie von vorn.
dialog-error-no-opener = Dieses Fenster muss von einer Website geöffnet werden, die { -brand-name } verwendet.
dialog-error-bad-redirect = Dieser Anmeldelink ist ungültig. Bitte gehen Sie zurück und versuchen Sie es erneut.
dialog-error-idp-offline = Der Identitätsanbieter für { $email } ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.

## Re-verification

dialog-reverify-heading = Bestätigen Sie Ihre Adresse erneut
dialog-reverify-explain = Ihr Passwort wurde zurückgesetzt, daher muss { $email } erneut bestätigt werden, bevor Sie die Adresse verwenden können. Wir senden eine Nachricht mit einem Link an diese Adresse.
dialog-reverify-send = E-Mail senden
dialog-check-email-reverify = Klicken Sie auf den Link darin, um die Adresse erneut zu bestätigen. Dieses Fenster macht danach von selbst weiter.

## Cookies disabled

dialog-cookies-heading = { -brand-name } benötigt Cookies
dialog-cookies-explain = Ihr Browser erlaubt { -brand-name } kein Cookie, daher kann sich { -brand-name } Ihre Anmeldung nicht merken. Erlauben Sie Cookies für { $persona } in den Einstellungen Ihres Browsers und versuchen Sie es dann erneut.
