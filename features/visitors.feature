@genetec
Feature: Genetec visitor badges
  The visitor-badge connector (driver/genetec) as a receptionist's
  application uses it, through its API: a provider per location (its
  Security Center's Web SDK), Refresh Provider, security badges, user groups
  that decide which cardholder groups a user may assign, and a badge
  provisioned to a visitor at sign-in, active only while the visitor is on
  site. Doors are tried with the simulated hardware: badge 5001 of the
  provider's facility code 200 is card "200:5001"; the cardholder group
  "Visitors - Office" opens the four Office doors in business hours,
  "Visitors - Shop" the Shop doors, "Contractors" every door at any time.
  What Security Center holds is read through its Web SDK. The site clock
  starts Monday 09:00 UTC; a visit ends at 23:59.
  Source: docs/genetec-visitor-badges.txt, SPEC.md §7, catalogue GV.

  # Compatibility and licence.

  @GV-COMPAT-VERSION
  Scenario: Security Center older than 5.7 is refused with a clear error
    Given the default site with Security Center version "5.6.0.0"
    And the visitor connector with a provider for location "HQ"
    When the provider's connection is tested
    Then the connection test fails with "5.6.0.0 is older than 5.7"
    When the provider is refreshed
    Then the refresh fails with "5.6.0.0 is older than 5.7"
    And creating badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is refused with "refresh"

  @GV-COMPAT-VERSION
  Scenario Outline: Security Center <version> is accepted
    Given the default site with Security Center version "<version>"
    And the visitor connector with a provider for location "HQ"
    When the provider's connection is tested
    Then the connection test succeeds
    When the provider is refreshed
    Then the synced cardholder groups include "Visitors - Office"

    Examples:
      | version  |
      | 5.7.0.0  |
      | 5.12.2.0 |
      | 6.0.0.0  |

  @GV-LICENSE
  Scenario: Without the licence part GSC-1SDK-TRACTIONGUEST-VM the connection test and the refresh are refused
    Given the default site with a Security Center licence without "GSC-1SDK-TRACTIONGUEST-VM"
    And the visitor connector with a provider for location "HQ"
    When the provider's connection is tested
    Then the connection test fails with "licence part"
    When the provider is refreshed
    Then the refresh fails with "HTTP 403"
    And the refresh fails with "licence part"

  @GV-LICENSE
  Scenario: The error of a missing licence part names the part GSC-1SDK-TRACTIONGUEST-VM
    Given the default site with a Security Center licence without "GSC-1SDK-TRACTIONGUEST-VM"
    And the visitor connector with a provider for location "HQ"
    When the provider's connection is tested
    Then the connection test fails with "GSC-1SDK-TRACTIONGUEST-VM"
    When the provider is refreshed
    Then the refresh fails with "GSC-1SDK-TRACTIONGUEST-VM"

  # Providers.

  @GV-WEBSDK-URL
  Scenario: A provider without a URL uses the Web SDK's default, https://localhost:4590/WebSdk/
    Given the default site
    And the visitor connector is running
    When a provider for location "HQ" is added without a URL
    Then the provider's URL is "https://localhost:4590/WebSdk/"

  @GV-WEBSDK-URL @sim-only
  Scenario Outline: The Web SDK over <scheme> on another port than 4590
    Given the default site
    And the visitor connector is running
    When the connection to the Web SDK over <scheme> on a port other than 4590 is tested
    Then the connection test succeeds

    Examples:
      | scheme |
      | https  |
      | http   |

  @GV-WEBSDK-URL
  Scenario Outline: A Web SDK URL that is not http or https is refused: <url>
    Given the default site
    And the visitor connector is running
    When a provider for location "HQ" is added with URL "<url>"
    Then the provider is refused with "http(s)"

    Examples:
      | url                           |
      | ftp://localhost:4590/WebSdk/  |
      | localhost:4590/WebSdk/        |
      | https:///WebSdk/              |

  @GV-PROVIDER-ADD
  Scenario: Add a provider: friendly name, URL, username and password, saved; Test Connection says success or failure
    Given the default site
    And the visitor connector is running
    When a provider for location "HQ" is added
    Then the provider's name is "Main building"
    And the provider's password is not shown
    When the provider's connection is tested
    Then the connection test succeeds
    When the provider's connection is tested with password "wrong"
    Then the connection test fails with "401"

  @GV-PROVIDER-ADD
  Scenario: Saving a provider does not test it; Test Connection says why an unreachable one fails
    Given the default site
    And the visitor connector is running
    When a provider for location "HQ" is added with URL "https://127.0.0.1:1/WebSdk/"
    Then the provider's URL is "https://127.0.0.1:1/WebSdk/"
    When the provider's connection is tested
    Then the connection test fails with "127.0.0.1:1"

  @GV-PROVIDER-EDIT-DELETE
  Scenario: Edit a provider: the fields given change, the others (the password too) stay
    Given the default site
    And the visitor connector with a provider for location "HQ"
    When the provider is edited with name "Annex"
    Then the provider's name is "Annex"
    And the provider's password is not shown
    When the provider is refreshed
    Then the synced cardholder groups include "Visitors - Office"
    When the provider is edited with password "wrong"
    And the provider is refreshed
    Then the refresh fails with "401"
    When the provider is edited with URL "ftp://localhost/WebSdk/"
    Then the provider is refused with "http(s)"
    And the provider's name is "Annex"

  @GV-PROVIDER-EDIT-DELETE
  Scenario: Delete a provider
    Given the default site
    And the visitor connector with a provider for location "HQ"
    When the provider is deleted
    Then the provider is gone

  # Refresh Provider.

  @GV-REFRESH
  Scenario: Refresh Provider pulls the cardholder groups, access rules and badge types
    Given the default site
    And the visitor connector with a provider for location "HQ"
    When the provider is refreshed
    Then the synced cardholder groups include "Visitors - Office"
    And the synced cardholder groups include "Visitors - Shop"
    And the synced access rules include "Office visitors"
    And the synced badge types include "Standard 26 bits"
    And the synced badge types do not include "Magic 99 bits"

  @GV-REFRESH @sim-only
  Scenario: A change in Security Center reaches the connector at the next Refresh Provider
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    When Security Center gets a new cardholder group "Visitors - Lab"
    Then the synced cardholder groups do not include "Visitors - Lab"
    When the provider is refreshed
    Then the synced cardholder groups include "Visitors - Lab"

  @GV-REFRESH-ERROR
  Scenario: Refresh Provider on an unreachable server gives an error message
    Given the default site
    And the visitor connector is running
    When a provider for location "HQ" is added with URL "https://127.0.0.1:1/WebSdk/"
    And the provider is refreshed
    Then the refresh fails with "127.0.0.1:1"

  @GV-REFRESH-ERROR @fault
  Scenario: Refresh Provider on a failing server (HTTP 503) gives an error message, and works once it recovers
    Given the default site
    And the visitor connector with a provider for location "HQ"
    When the fault "genetec:status=503" is injected
    And the provider is refreshed
    Then the refresh fails with "503"
    When the fault is removed
    And the provider is refreshed
    Then the synced cardholder groups include "Visitors - Office"

  # Security badges.

  @GV-BADGE-CREATE
  Scenario: Create a security badge: a name, its unique ID and a badge type from the synced list
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    When badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    Then the provider has badge "Badge 1" with unique ID "5001" of type "Standard 26 bits"
    And creating badge "Badge 2" with unique ID "5002" of type "Magic 99 bits" is refused with "Magic 99 bits"

  @GV-BADGE-CREATE
  Scenario: Badge types come from Security Center: none before Refresh Provider
    Given the default site
    And the visitor connector with a provider for location "HQ"
    Then creating badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is refused with "refresh"

  @GV-BADGE-ID-DIGITS
  Scenario Outline: A unique ID with letters or symbols is a validation error: "<unique id>"
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    Then creating badge "Bad" with unique ID "<unique id>" of type "Standard 26 bits" is refused with "digits only"

    Examples:
      | unique id |
      | 50A1      |
      | 5001x     |
      | 50-01     |
      | 50 01     |
      | +5001     |
      | 5001.0    |
      | #5001     |
      |           |

  # User groups.

  @GV-USER-GROUPS
  Scenario: A user group decides which cardholder groups its users may assign
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And badge "Badge 2" with unique ID "5002" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Grace Hopper" is "active"
    When visitor "Alan Turing" signs in with badge "Badge 2" and cardholder group "Visitors - Shop" by "rita@example.com"
    Then the sign-in is refused with status 403 and "Visitors - Shop"
    When user "rita@example.com" may assign cardholder group "Visitors - Shop"
    And visitor "Alan Turing" signs in with badge "Badge 2" and cardholder group "Visitors - Shop" by "rita@example.com"
    Then the visit of "Alan Turing" is "active"
    And the active visits are "Grace Hopper, Alan Turing"

  @GV-USER-GROUPS-DENY
  Scenario: A user outside the user group cannot assign its cardholder groups
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "bob@example.com"
    Then the sign-in is refused with status 403 and "bob@example.com"
    And the active visits are "none"

  @GV-USER-GROUPS-DENY @sim-only
  Scenario: A refused sign-in leaves the badge opening nothing
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "bob@example.com"
    Then the sign-in is refused with status 403 and "Visitors - Office"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"

  # Provisioning at sign-in.

  @GV-PROVISION
  Scenario: At sign-in the badge is provisioned to the visitor with the chosen cardholder group
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Grace Hopper" is "active"
    And the active visits are "Grace Hopper"
    And Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Office" holding badge "Badge 1"

  @GV-PROVISION @sim-only
  Scenario: The provisioned badge opens the doors of its cardholder group: the Office door, not the Shop
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the visit of "Grace Hopper" has an access at door "Front Door" granted
    When 1 second passes
    And card "200:5001" is presented at reader "Shop Front entry"
    Then the reader denies access with reason "no-access-level"
    And the visit of "Grace Hopper" has an access at door "Shop Front" refused with reason "NoAccessRule"
    And the accesses of the visit of "Grace Hopper" are "Front Door granted, Shop Front refused"

  # Active only while on site.

  @GV-ACTIVE-ONLY-ONSITE
  Scenario: The visitor signs out: the badge is deactivated and unassigned in Security Center
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Office" holding badge "Badge 1"
    When visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "signed-out"
    And the active visits are "none"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody

  @GV-ACTIVE-ONLY-ONSITE @sim-only
  Scenario: The badge opens doors while the visitor is on site, and none once they signed out
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    When visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "signed-out"
    When 1 second passes
    And card "200:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-invalid"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody
    And the accesses of the visit of "Grace Hopper" are "Front Door granted"

  # Deactivation.

  @GV-DEACTIVATE-MANUAL
  Scenario: A user deactivates the visitor's badge
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When "rita@example.com" deactivates the badge of "Grace Hopper"
    Then the visit of "Grace Hopper" ended with reason "deactivated"
    And the active visits are "none"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody

  @GV-DEACTIVATE-MANUAL @sim-only
  Scenario: A deactivated badge stops opening doors
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When card "200:5001" is presented at reader "Office Door entry"
    Then the reader grants access
    When "rita@example.com" deactivates the badge of "Grace Hopper"
    Then the visit of "Grace Hopper" ended with reason "deactivated"
    When card "200:5001" is presented at reader "Office Door entry"
    Then the reader denies access with reason "card-invalid"

  @GV-DEACTIVATE-AUTO @sim-only
  Scenario: At the end of the day the badge is deactivated automatically
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Contractors"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Contractors" by "rita@example.com"
    When the connector's clock reaches "23:58"
    Then the visit of "Grace Hopper" is "active"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    When the connector's clock reaches "23:59"
    Then the visit of "Grace Hopper" ended with reason "end-of-day"
    And the active visits are "none"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody
    When card "200:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-invalid"

  @GV-DEACTIVATE-AUTO
  Scenario: The location's end of day ends every active visit of the location
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And badge "Badge 2" with unique ID "5002" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And visitor "Alan Turing" signs in with badge "Badge 2" and cardholder group "Visitors - Office" by "rita@example.com"
    When the end of the day is run for location "Elsewhere"
    Then the active visits are "Grace Hopper, Alan Turing"
    When the end of the day is run for location "HQ"
    Then the visit of "Grace Hopper" ended with reason "end-of-day"
    And the visit of "Alan Turing" ended with reason "end-of-day"
    And the active visits are "none"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody
    And Security Center shows badge "Badge 2" inactive and assigned to nobody

  # A new provisioning at every sign-in; one visitor per badge.

  @GV-REPROVISION
  Scenario: Every sign-in provisions the badge anew, for whoever signs in with it
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "signed-out"
    And Security Center shows badge "Badge 1" inactive and assigned to nobody
    When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Alan Turing" is "active"
    And Security Center shows visitor "Alan Turing" active in cardholder group "Visitors - Office" holding badge "Badge 1"
    When visitor "Alan Turing" signs out
    Then the visit of "Alan Turing" ended with reason "signed-out"
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Grace Hopper" is "active"
    And the active visits are "Grace Hopper"
    And Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Office" holding badge "Badge 1"

  @GV-REPROVISION @sim-only
  Scenario: A badge signed out opens nothing until it is provisioned again
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "signed-out"
    When 1 second passes
    And card "200:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-invalid"
    When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Alan Turing" is "active"
    When 1 second passes
    And card "200:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the visit of "Alan Turing" has an access at door "Front Door" granted
    And the accesses of the visit of "Grace Hopper" are "none"

  @GV-ONE-VISITOR
  Scenario: A badge active for one visitor cannot be signed in to another
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the sign-in is refused with status 409 and "active"
    And the active visits are "Grace Hopper"
    And Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Office" holding badge "Badge 1"
    When visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "signed-out"
    When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the active visits are "Alan Turing"
    And Security Center shows visitor "Alan Turing" active in cardholder group "Visitors - Office" holding badge "Badge 1"

  @GV-ONE-VISITOR @sim-only
  Scenario: The badge opens doors as the visitor who holds it, never as the one refused
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And user "rita@example.com" may assign cardholder group "Visitors - Shop"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Shop" by "rita@example.com"
    Then the sign-in is refused with status 409 and "active"
    When card "200:5001" is presented at reader "Shop Front entry"
    Then the reader denies access with reason "no-access-level"
    And the visit of "Grace Hopper" has an access at door "Shop Front" refused with reason "NoAccessRule"
