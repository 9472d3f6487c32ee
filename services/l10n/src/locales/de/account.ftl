# SPDX-License-Identifier: MPL-2.0

account-signin-heading = Bei Ihrem { -brand-name }-Konto anmelden
account-signin-primary-hint = Wenn Ihr E-Mail-Anbieter { -brand-name } unterstützt, lassen Sie das Passwort leer: Sie melden sich dann bei Ihrem Anbieter an.
account-signin-mismatch = E-Mail-Adresse und Passwort passen zu keinem Konto.
account-forgot-need-email = Geben Sie zuerst Ihre E-Mail-Adresse ein.
account-forgot-sent = Wir haben eine Nachricht an { $email } gesendet. Klicken Sie auf den Link darin, um ein neues Passwort zu wählen.

account-heading = Ihr { -brand-name }-Konto
account-emails-heading = Ihre E-Mail-Adressen
account-remove = Entfernen
account-remove-label = { $email } entfernen
account-remove-confirm = { $email } aus Ihrem Konto entfernen?
account-removed = { $email } wurde entfernt.

account-add-heading = E-Mail-Adresse hinzufügen
account-add-choose-password = Passwort wählen
account-add-submit = Adresse hinzufügen
account-check-email-heading = Sehen Sie in Ihrem Posteingang nach
account-check-email-add = Wir haben eine Nachricht an { $email } gesendet. Klicken Sie auf den Link darin, um die Adresse hinzuzufügen.
account-email-sent = E-Mail an { $email } gesendet.
account-back = Zurück zu Ihrem Konto
account-added = { $email } wurde hinzugefügt.
account-add-failed = { $email } konnte nicht hinzugefügt werden.

account-password-heading = Passwort ändern
account-password-submit = Passwort ändern
account-password-changing = Ihr Passwort wird geändert …
account-password-wrong = Das aktuelle Passwort ist nicht richtig.
account-password-changed = Ihr Passwort wurde geändert.

account-cancel-heading = Konto löschen
account-cancel-explain = Dadurch werden alle Adressen entfernt und das Konto wird gelöscht. Das kann nicht rückgängig gemacht werden.
account-cancel-confirm = Ja, mein Konto löschen
account-cancel-submit = Konto löschen
account-cancel-tick = Setzen Sie zur Bestätigung das Häkchen.
account-cancelling = Ihr Konto wird gelöscht …
account-cancelled = Ihr Konto wurde gelöscht.
account-signed-out = Sie sind abgemeldet.

## Re-verification

account-unverified = Nicht bestätigt
account-reverify = Erneut bestätigen
account-reverify-label = { $email } erneut bestätigen
account-reverify-sent = Wir haben eine Nachricht an { $email } gesendet. Klicken Sie auf den Link darin, um die Adresse erneut zu bestätigen.
account-reverified = { $email } ist bestätigt.
account-unverified-hint = Nach dem Zurücksetzen des Passworts müssen Ihre anderen Adressen erneut bestätigt werden, bevor Sie sie verwenden.
