# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

## /auth: Persona's sign-in page for domains that delegate to Persona

idp-auth-heading = Sign in to { -brand-name }
# $email is shown in bold
idp-auth-explain = { -brand-name } vouches for { $email }. Enter your { -brand-name } password to continue.
idp-auth-wrong = That password is not right.
idp-auth-no-email = This page needs an email address: please start again from the site you were signing in to.
