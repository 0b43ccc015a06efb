@entrapass
Feature: Workflow events: Last Access Event
  Door and Reader assets publish a Last Access Event for every grant and
  every denial, with every property of Tables 1 and 2: Username,
  BadgeTemplateID, DateTime, CardId, Access Granted, Description, Card
  Status, Parent Id, Parent Type. Source: entrapass-integration.txt,
  "Asset Events".

  Background:
    Given the default site
    And the driver is connected

  @sim-only @EP-DOOR-E-ACCESS-GRANTED
  Scenario: A grant gives the door a Last Access Event with every property of Table 1
    When 3 seconds pass
    And card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the last access event of door "Front Door" has:
      | Username        | Alice Martin        |
      | BadgeTemplateID | 1                   |
      | DateTime        | 2026-01-05 09:00:03 |
      | CardId          | 100:1001            |
      | Access Granted  | True                |
      | Description     | Access granted      |
      | Card Status     | Valid               |
      | Parent Id       | 20                  |
      | Parent Type     | reader              |
    And 1 Last Access Event was published for door "Front Door"

  @sim-only @EP-RDR-E-LAST-ACCESS
  Scenario: A grant gives the reader a Last Access Event with every property of Table 2
    When card "100:1048" is presented at reader "Office Door entry"
    Then the reader grants access
    And the last access event of reader "Office Door entry" has:
      | Username        | Vera Vincent        |
      | BadgeTemplateID | 2                   |
      | DateTime        | 2026-01-05 09:00:00 |
      | CardId          | 100:1048            |
      | Access Granted  | True                |
      | Description     | Access granted      |
      | Card Status     | Valid               |
      | Parent Id       | 21                  |
      | Parent Type     | door                |
    And 1 Last Access Event was published for reader "Office Door entry"

  @sim-only @EP-RDR-E-LAST-ACCESS @EP-DOOR-E-ACCESS-DENIED
  Scenario: A denial gives the reader a Last Access Event too
    When card "100:1033" is presented at reader "Front Door entry"
    Then the last access event of reader "Front Door entry" has:
      | Username        | Grace Michel                        |
      | BadgeTemplateID | 1                                   |
      | CardId          | 100:1033                            |
      | Access Granted  | False                               |
      | Description     | Access denied - card lost or stolen |
      | Card Status     | StolenLost                          |
      | Parent Id       | 20                                  |
      | Parent Type     | door                                |

  @sim-only @EP-DOOR-E-ACCESS-GRANTED @UM-PIN
  Scenario: A keypad reader grants a card user with a PIN on the card and the right PIN
    When card "100:1002" is presented at reader "Office Door entry" with PIN "12345"
    Then the reader grants access
    And the last access event of door "Office Door" has "Access Granted" = "True"
    And the last access event of door "Office Door" has "Username" = "Bruno Bernard"

  @sim-only @EP-DOOR-E-ACCESS-DENIED
  Scenario Outline: A denial for <reason>: Access Granted = False, and the Description says why
    When card "<card>" is presented at reader "<reader>" with PIN "<pin>"
    Then the reader denies access with reason "<reason>"
    And the simulated door "<door>" is "locked"
    And the last access event of door "<door>" has:
      | Access Granted | False                   |
      | Description    | Access denied - <text>  |
      | CardId         | <card>                  |
      | Card Status    | <status>                |
    And 1 Last Access Event was published for door "<door>"

    Examples:
      | reason             | card     | reader            | pin   | door        | text                          | status     |
      | unknown-card       | 100:9999 | Front Door entry  |       | Front Door  | unknown card                  | Unknown    |
      | card-invalid       | 100:1034 | Shop Front entry  |       | Shop Front  | card invalid                  | Invalid    |
      | card-lost-stolen   | 100:1033 | Front Door entry  |       | Front Door  | card lost or stolen           | StolenLost |
      | card-expired       | 100:1023 | Front Door entry  |       | Front Door  | card expired                  | Expired    |
      | card-not-yet-valid | 100:1024 | Front Door entry  |       | Front Door  | card not yet valid            | Pending    |
      | no-access-level    | 100:1002 | Server Room entry | 12345 | Server Room | no access level for this door | Valid      |
      | no-access-level    | 100:1002 | Shop Front entry  |       | Shop Front  | no access level for this door | Valid      |
      | pin-required       | 100:1002 | Office Door entry |       | Office Door | PIN required                  | Valid      |
      | pin-wrong          | 100:1002 | Office Door entry | 99999 | Office Door | wrong PIN                     | Valid      |

  @sim-only @EP-DOOR-E-ACCESS-DENIED @UM-TS-SCHEDULE
  Scenario: A denial outside the door's schedule says so
    When the site clock reaches "18:30"
    And card "100:1002" is presented at reader "Front Door entry"
    Then the reader denies access with reason "outside-schedule"
    And the last access event of door "Front Door" has:
      | Access Granted | False                             |
      | Description    | Access denied - outside schedule  |
      | Username       | Bruno Bernard                     |
      | DateTime       | 2026-01-05 18:30:00               |

  @sim-only @EP-DOOR-E-ACCESS-DENIED @EP-RDR-S-DISABLED
  Scenario: A denial at a disabled reader says so
    When the operator sends "Disable Reader" to reader "Front Door entry"
    And card "100:1001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "reader-disabled"
    And the last access event of door "Front Door" has "Description" = "Access denied - reader disabled"

  @sim-only @EP-DOOR-E-ACCESS-DENIED
  Scenario: A denial by a controller in fault says the controller is offline
    When controller "Office Controller" reports a fault
    And card "100:1001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "controller-offline"
    And the last access event of door "Front Door" has:
      | Access Granted | False                              |
      | Description    | Access denied - controller offline |
      | Username       | Alice Martin                       |

  @sim-only @EP-DOOR-E-ACCESS-GRANTED @EP-RDR-E-LAST-ACCESS
  Scenario: The Last Access Event is the last one: a denial after a grant replaces it
    When card "100:1001" is presented at reader "Front Door entry"
    And 10 seconds pass
    And card "100:9999" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has "CardId" = "100:9999"
    And the last access event of reader "Front Door entry" has "Access Granted" = "False"
    And 2 Last Access Events were published for door "Front Door"
    And 2 Last Access Events were published for reader "Front Door entry"

  @sim-only @EP-DOOR-E-ACCESS-DENIED @EP-RDR-E-LAST-ACCESS
  Scenario: The Description says why in words a scenario can match in part, and a card user's badge layout is there
    When card "100:1033" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has "Description" containing "lost or stolen"
    And the last access event of door "Front Door" has "Description" containing "ACCESS DENIED"
    And the last access event of door "Front Door" has a non-empty "BadgeTemplateID"
    And the last access event of reader "Front Door entry" has a non-empty "Username"
    And the last access event of reader "Front Door entry" has a non-empty "Parent Id"

  @sim-only @EP-DOOR-E-ACCESS-DENIED
  Scenario: An unknown card has no card user: no badge layout, no username
    When card "100:9999" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has "Description" containing "unknown card"
    And the last access event of door "Front Door" has "BadgeTemplateID" = "0"
    And the last access event of door "Front Door" has "Username" = ""
