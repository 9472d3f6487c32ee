# SPDX-License-Identifier: MPL-2.0
# Deutsch (Sie-Form). Glossar: glossary.json.

-brand-name = Persona

## Page shells

page-title-account = Ihr { -brand-name }-Konto
page-title-sign-in = Anmelden · { -brand-name }
page-title-sign-in-to = Bei { $site } anmelden · { -brand-name }
page-title-confirm = E-Mail-Adresse bestätigen · { -brand-name }
page-title-reset = Passwort zurücksetzen · { -brand-name }
page-title-not-found = Seite nicht gefunden · { -brand-name }
page-title-check-idp = Identitätsanbieter prüfen · { -brand-name }
shell-sign-in-to = Anmelden bei
shell-footer = { -brand-name } · Ihre E-Mail-Adresse ist Ihre Identität
shell-brand = { -brand-name }
not-found-heading = Seite nicht gefunden
not-found-body = Unter dieser Adresse gibt es nichts.
not-found-link = Zu Ihrem { -brand-name }-Konto

## Form fields

field-email = E-Mail-Adresse
field-new-email = Neue E-Mail-Adresse
field-password = Passwort
field-current-password = Aktuelles Passwort
field-new-password = Neues Passwort
field-repeat-password = Passwort wiederholen
field-repeat-new-password = Neues Passwort wiederholen

## Buttons

action-next = Weiter
action-continue = Fortfahren
action-cancel = Abbrechen
action-back = Zurück
action-sign-in = Anmelden
action-sign-out = Abmelden
action-try-again = Erneut versuchen
action-forgot-password = Passwort vergessen?
action-use-another = Andere Adresse verwenden

## Progress

status-loading = Wird geladen
status-checking-address = Ihre Adresse wird geprüft …
status-signing-in = Anmeldung läuft …
status-signing-out = Abmeldung läuft …
status-sending-email = Wir senden Ihnen eine E-Mail …
status-saving = Wird gespeichert …
status-signed-in-as = Angemeldet als { $email }.

## Passwords

password-hint = 8 bis 80 Zeichen.
password-too-short = Das Passwort muss mindestens 8 Zeichen lang sein.
password-too-long = Das Passwort darf höchstens 80 Zeichen lang sein.
password-length = Das Passwort muss 8 bis 80 Zeichen lang sein.
password-mismatch = Die Passwörter stimmen nicht überein.

## Errors

error-email-invalid = Bitte geben Sie eine gültige E-Mail-Adresse ein.
error-throttled = An diese Adresse wurden zu viele E-Mails gesendet. Bitte versuchen Sie es in einer Minute erneut.
error-busy = { -brand-name } ist gerade ausgelastet. Bitte versuchen Sie es erneut.
error-network = { -brand-name } ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
error-generic = Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.
error-signed-out = Sie sind nicht mehr angemeldet. Bitte beginnen Sie von vorn.
error-no-such-address = Es gibt kein Konto mit dieser E-Mail-Adresse.
error-already-verified = Diese E-Mail-Adresse ist bereits bestätigt.
error-not-yours = Diese E-Mail-Adresse gehört nicht zu Ihrem Konto.
error-needs-reverify = Diese E-Mail-Adresse muss erneut bestätigt werden, bevor Sie sie verwenden können.
error-cookies = Ihr Browser hat das Cookie von { -brand-name } nicht behalten. Erlauben Sie Cookies für diese Website und versuchen Sie es erneut.

## Primary identity providers

primary-heading = Mit { $issuer } anmelden
primary-managed = { $email } wird von { $issuer } verwaltet.
primary-explain = Melden Sie sich bei { $issuer } an, um zu bestätigen, dass Sie es sind; danach kommen Sie hierher zurück.
primary-continue = Weiter zu { $issuer }
primary-asking = { $issuer } wird gebeten, { $email } zu bestätigen …
primary-failed = { $issuer } konnte Sie nicht anmelden. Bitte versuchen Sie es später erneut.
primary-cancelled = { $issuer } hat Sie nicht angemeldet.
primary-no-pages = { $issuer } hat nicht angegeben, wo Sie sich anmelden können.
