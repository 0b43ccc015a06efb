@entrapass
Feature: Time: the site's time zone, days of the week, and the boundaries of timed states
  EntraPass runs its schedules, card dates and local times in the server's
  time zone; the integration's Last Access Event DateTime is UTC. A driver
  that reads the local column as UTC, or sends a temporary user's end date
  in UTC, is right only on a UTC site: these scenarios run on a site in
  America/Toronto (UTC-5 in winter, UTC-4 from 2026-03-08 02:00), and at the
  exact second where timed states change. Sources: entrapass-integration.txt
  (Tables 1 and 2: DateTime), entrapass-user-management.txt (temporary
  users, schedules), SPEC.md §1 (door physics).

  @sim-only @EP-DOOR-E-ACCESS-GRANTED @EP-RDR-E-LAST-ACCESS
  Scenario: On a site in Toronto, the Last Access Event's DateTime is UTC, before and after the change to summer time
    Given the default site in time zone "America/Toronto"
    And the driver is connected
    When card "100:1001" is presented at reader "Front Door entry"
    And card "100:9999" is presented at reader "Shop Front entry"
    Then reader "Front Door entry" grants access
    And reader "Shop Front entry" denies access with reason "unknown-card"
    And the last access event of door "Front Door" has "DateTime" = "2026-01-05 14:00:00"
    And the last access event of reader "Front Door entry" has "DateTime" = "2026-01-05 14:00:00"
    When the site clock reaches "2026-03-09 09:00"
    And card "100:1001" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has "DateTime" = "2026-03-09 13:00:00"

  @sim-only @UM-TEMPORARY
  Scenario: On a site in Toronto, a temporary user added at 21:00 local for 1 day ends at 21:00 local the next day
    Given the default site in time zone "America/Toronto"
    And the driver is connected
    When the site clock reaches "21:00"
    And temporary card user "Tom Temp" ending in 1 day is added under ticket "T-300":
      | card         | 100:5002    |
      | card type    | Contractor  |
      | access level | Full Access |
      | site         | Office      |
    And 1439 minutes pass
    And card "100:5002" is presented at reader "Server Room entry"
    Then the reader grants access
    When 1 minute passes
    And card "100:5002" is presented at reader "Server Room entry"
    Then the reader denies access with reason "card-expired"
    And the card user of card "100:5002" is "Expired"

  @sim-only @UM-TS-SCHEDULE
  Scenario Outline: On a site in Toronto, an Office-only card on <day> at <time> local: <outcome>
    Given the default site in time zone "America/Toronto"
    And the driver is connected
    When the site clock is <day> <time>
    And card "100:1002" is presented at reader "Front Door entry"
    Then the reader <outcome>

    Examples:
      | day      | time  | outcome                                          |
      | Tuesday  | 07:59 | denies access with reason "outside-schedule"     |
      | Tuesday  | 08:00 | grants access                                    |
      | Tuesday  | 17:59 | grants access                                    |
      | Tuesday  | 18:00 | denies access with reason "outside-schedule"     |
      | Saturday | 10:00 | denies access with reason "outside-schedule"     |
      | Sunday   | 12:00 | denies access with reason "outside-schedule"     |

  @sim-only @EP-DOOR-S-HELD-OPEN
  Scenario: Held Open at the door's open time (30 s), not a second before
    Given the default site
    And the driver is connected
    When the request-to-exit of door "Front Door" is pressed
    And door "Front Door" is opened
    And 29 seconds pass
    Then door "Front Door" shows "Unsecure"
    And door "Front Door" does not hold "Held Open"
    When 1 second passes
    Then door "Front Door" shows "Held Open"

  @sim-only @EP-DOOR-C-PASS
  Scenario Outline: A Pass of <seconds> s ends exactly <seconds> s later
    Given the default site
    And the driver is connected
    When the operator sends "Pass" with <seconds> seconds to door "Back Door"
    And <before> seconds pass
    Then door "Back Door" shows "Unsecure"
    When 1 second passes
    Then door "Back Door" shows "Secure"

    Examples:
      | seconds | before |
      | 1       | 0      |
      | 7       | 6      |
      | 255     | 254    |
