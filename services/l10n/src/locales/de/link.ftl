# SPDX-License-Identifier: MPL-2.0

link-checking = Ihr Link wird geprüft …
link-incomplete = Der Link ist unvollständig. Bitte kopieren Sie den ganzen Link aus der E-Mail.
link-failed-heading = Dieser Link hat nicht funktioniert
link-used-or-expired = Dieser Link wurde bereits verwendet oder ist abgelaufen.
link-go-to-account = Zu Ihrem { -brand-name }-Konto

link-password-heading = Geben Sie Ihr Passwort ein
link-new-password-heading = Neues Passwort wählen
link-save-password = Passwort speichern
link-confirm = Bestätigen
link-need-password = Bitte geben Sie Ihr Passwort ein.
link-wrong-password = Das Passwort ist nicht richtig.

link-confirmed-heading = Ihre Adresse ist bestätigt
link-confirmed-body = { $email } ist jetzt einsatzbereit.
link-confirmed-announce = Adresse bestätigt.
link-reset-heading = Ihr Passwort ist zurückgesetzt
link-reset-body = { $email } kann sich mit dem neuen Passwort anmelden.
link-reset-announce = Passwort zurückgesetzt.
link-continue-elsewhere = Wenn Sie die Anmeldung bei einer Website in einem anderen Fenster begonnen haben, geht es dort weiter. Sie können diese Seite schließen.
link-manage-account = Ihr { -brand-name }-Konto verwalten

link-return-to-site = Weiter zu { $site }
