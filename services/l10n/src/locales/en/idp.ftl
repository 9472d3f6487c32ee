# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

## /auth: Persona's sign-in page for domains that delegate to Persona

idp-auth-heading = Sign in to { -brand-name }
# $email is shown in bold
idp-auth-explain = { -brand-name } vouches for { $email }. Enter your { -brand-name } password to continue.
idp-auth-wrong = That password is not right.
idp-auth-no-email = This page needs an email address: please start again from the site you were signing in to.

## /check_idp: the support-document checker, for those who run an identity provider

idp-check-heading = Check an identity provider
idp-check-intro = Type the domain of an email provider to see whether it supports BrowserID and, if its support document has a problem, what to fix. { -brand-name } fetches the document just as it does when someone uses the domain.
idp-check-field-domain = Domain
idp-check-action = Check
# $domain: the domain being checked
idp-check-checking = Fetching the support document of { $domain }…
idp-check-throttled = Too many checks from your network. Please wait a minute and try again.
# $chain: the domains in order, e.g. a.example → b.example
idp-check-chain = Delegation: { $chain }
# $detail: the exact cause in English, as the fetcher or the parser reported it (shown as code)
idp-check-detail = Technical detail: { $detail }

## How serious a finding is (read out before it)

idp-check-severity-ok = Fine
idp-check-severity-info = Note
idp-check-severity-warning = Warning
idp-check-severity-error = Problem

## The verdict on a domain

idp-check-verdict-primary = { $domain } is a BrowserID identity provider.
idp-check-verdict-secondary = { $domain } is not an identity provider: { -brand-name } vouches for its addresses.
idp-check-verdict-disabled = { $domain } has turned BrowserID off.
idp-check-verdict-broken = { $domain } cannot act as an identity provider until the problem below is fixed.

## Findings. Field names and paths in { "…" } stay as they are in every language.

idp-check-bad-domain = “{ $domain }” is not a domain name. Type a domain such as example.com.
# $url: https://<domain>/.well-known/browserid
idp-check-unreachable = { $url } could not be used. Serve it over https, with a valid certificate, status 200 and a JSON body.
idp-check-no-document = { $domain } publishes no { "/.well-known/browserid" }, so it is not a BrowserID identity provider: its users sign in with a { -brand-name } password, and { -brand-name } confirms their addresses by email.
# $from delegates to $domain
idp-check-delegate-missing = { $domain }, to which { $from } delegates, publishes no support document.
# $problem: what is wrong, one of the variants
idp-check-bad-document = The support document of { $domain } cannot be used: { $problem ->
        [too-large] it is larger than 64 KiB.
        [not-json] it is not valid JSON.
        [not-object] it is not a JSON object.
        [bad-authority] its { "\"authority\"" } is not a domain name.
        [missing-authentication] it has no { "\"authentication\"" } field. Add the path of your sign-in page, for example { "/sign_in" }.
        [missing-provisioning] it has no { "\"provisioning\"" } field. Add the path of your provisioning page, for example { "/provision" }.
        [bad-authentication-path] its { "\"authentication\"" } is not a path on the domain: it must start with { "/" } (a full URL is not allowed).
        [bad-provisioning-path] its { "\"provisioning\"" } is not a path on the domain: it must start with { "/" } (a full URL is not allowed).
        [missing-public-key] it has no { "\"public-key\"" } field. Add the public key your provisioning page signs certificates with.
       *[bad-public-key] its { "\"public-key\"" } is not a usable key.
    }
idp-check-disabled = { $domain } turns BrowserID off ({ "\"disabled\": true" }): nobody may sign in with its addresses, not even with a { -brand-name } password.
idp-check-delegation-loop = The delegation goes round in a loop: { $chain }. Break it: one of these domains must publish its own key and pages instead of delegating.
idp-check-delegates = { $domain } delegates to { $authority }.
idp-check-too-many-delegations = More than { $max } delegations: verifiers stop following them before they reach a key. Delegate straight to the domain that publishes the key.
idp-check-supported = { $domain } supports BrowserID.
# $bits is 0 when the key's size is not told by its length (DSA)
idp-check-key = { $bits ->
        [0] Its public key: { $algorithm }.
       *[other] Its public key: { $algorithm }, { $bits } bits.
    }
idp-check-weak-key = A { $bits }-bit RSA key is weak: use at least { $min } bits.
idp-check-pages = Sign-in page: { $authentication } · Provisioning page: { $provisioning }
idp-check-same-pages = The sign-in page and the provisioning page are the same page. They are meant to be two: one shows a form, the other runs hidden.
