# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Bei { -brand-name } anmelden
idp-auth-explain = { -brand-name } bürgt für { $email }. Geben Sie Ihr { -brand-name }-Passwort ein, um fortzufahren.
idp-auth-wrong = Das Passwort ist nicht richtig.
idp-auth-no-email = Diese Seite braucht eine E-Mail-Adresse: Bitte beginnen Sie erneut auf der Website, bei der Sie sich anmelden wollten.
