@entrapass
Feature: Card-user management
  Card users added, batch loaded, disabled, stripped of their access levels,
  deleted and made temporary through the driver's card-user administration,
  every change recorded in the audit trail with who, when and the ticket;
  and the troubleshooting checks of the document. Source:
  entrapass-user-management.txt.

  Background:
    Given the default site
    And the driver is connected

  @sim-only @UM-ADD @UM-AUDIT
  Scenario: A user added with card number, card type, name and access level is granted at a door of that level
    When card user "Dana Lee" is added under ticket "T-100":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    Then the card user of card "100:5001" is "Valid"
    And the audit trail has an "add" record of card "100:5001" by "jane.admin" under ticket "T-100"
    When card "100:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the last access event of door "Front Door" has:
      | Username       | Dana Lee       |
      | CardId         | 100:5001       |
      | Access Granted | True           |
      | Card Status    | Valid          |

  @sim-only @UM-PIN
  Scenario: A user with a 5-digit access code is asked for it at a keypad reader only
    When card user "Pia Keys" is added under ticket "T-110":
      | card         | 100:5011    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
      | PIN          | 54321       |
    And card "100:5011" is presented at reader "Office Door entry"
    Then the reader denies access with reason "pin-required"
    When card "100:5011" is presented at reader "Office Door entry" with PIN "11111"
    Then the reader denies access with reason "pin-wrong"
    When card "100:5011" is presented at reader "Office Door entry" with PIN "54321"
    Then the reader grants access
    When card "100:5011" is presented at reader "Front Door entry"
    Then the reader grants access

  @sim-only @UM-PIN
  Scenario: A user without an access code is not asked for one at a keypad reader
    When card "100:1001" is presented at reader "Office Door entry"
    Then the reader grants access

  @UM-PIN
  Scenario Outline: An access code "<pin>" is refused before anything is sent
    Then adding card user "Bad Pin" under ticket "T-111" is refused naming the field "PIN":
      | card         | 100:5012    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
      | PIN          | <pin>       |
    And no card user holds card "100:5012"

    Examples:
      | pin    |
      | 1234   |
      | 123456 |
      | 12a45  |

  @sim-only @UM-ACCESS-LEVEL
  Scenario Outline: Access level "<level>" of site "<site>" at reader "<reader>": <outcome>
    When card user "Lev El" is added under ticket "T-120":
      | card         | 100:5020  |
      | card type    | Employee  |
      | access level | <level>   |
      | site         | <site>    |
    And card "100:5020" is presented at reader "<reader>"
    Then the reader <outcome>

    Examples:
      | level       | site   | reader            | outcome                                         |
      | Office only | Office | Office Door entry | grants access                                   |
      | Office only | Office | Server Room entry | denies access with reason "no-access-level"     |
      | Office only | Office | Shop Front entry  | denies access with reason "no-access-level"     |
      | Shop only   | Shop   | Shop Front entry  | grants access                                   |
      | Shop only   | Shop   | Loading Dock entry | denies access with reason "no-access-level"    |
      | Shop only   | Shop   | Front Door entry  | denies access with reason "no-access-level"     |
      | Full Access | Office | Server Room entry | grants access                                   |
      | Full Access | Shop   | Loading Dock entry | grants access                                  |

  @sim-only @UM-ACCESS-LEVEL
  Scenario: One access level per site: a user of the Office and the Shop
    When card user "Two Sites" is added under ticket "T-121":
      | card         | 100:5021    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
      | access level | Shop only   |
      | site         | Shop        |
    Then the doors of the card user of card "100:5021" are "Front Door, Office Door, Back Door, Shop Front, Shop Back, Warehouse"
    When card "100:5021" is presented at reader "Back Door entry"
    Then the reader grants access
    When card "100:5021" is presented at reader "Warehouse entry"
    Then the reader grants access
    When card "100:5021" is presented at reader "Server Room entry"
    Then the reader denies access with reason "no-access-level"
    When card "100:5021" is presented at reader "Loading Dock entry"
    Then the reader denies access with reason "no-access-level"

  @UM-ACCESS-LEVEL
  Scenario: Two access levels on one site are refused before anything is sent
    Then adding card user "Two Levels" under ticket "T-122" is refused naming the field "Levels[1].Site":
      | card         | 100:5022    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
      | access level | Full Access |
      | site         | Office      |

  @sim-only @UM-BATCH-LOAD @UM-AUDIT @UM-TS-NO-LEVEL
  Scenario: Batch load: cards presented at the chosen door become new cards, then are named and given levels
    When a batch load is started at door "Back Door"
    And card "100:7001" is presented at reader "Back Door entry"
    And card "100:7002" is presented at reader "Back Door entry"
    And card "100:7001" is presented at reader "Back Door entry"
    And card "100:7003" is presented at reader "Front Door entry"
    And card "100:1001" is presented at reader "Back Door entry"
    And the batch load is saved with card type "Employee" under ticket "T-130"
    Then the batch load captured the cards "100:7001, 100:7002"
    And no card user holds card "100:7003"
    And the audit trail has a "batch-capture" record of card "100:7001" by "jane.admin" under ticket "T-130"
    When card "100:7001" is presented at reader "Back Door entry"
    Then the reader denies access with reason "no-access-level"
    When the batch card "100:7001" is named "Eve Batch" with access level "Office only" of site "Office" under ticket "T-131"
    And card "100:7001" is presented at reader "Back Door entry"
    Then the reader grants access
    And the last access event of door "Back Door" has "Username" = "Eve Batch"
    And the audit trail has a "batch-complete" record of card "100:7001" by "jane.admin" under ticket "T-131"

  @sim-only @UM-PHOTO
  Scenario: An optional photo is stored with the user
    When card user "Dana Lee" is added under ticket "T-140":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And a photo is stored for the card user of card "100:5001" under ticket "T-141"
    Then the audit trail has a "photo" record of card "100:5001" by "jane.admin" under ticket "T-141"

  @sim-only @UM-DISABLE @UM-AUDIT
  Scenario: Disabling a card stops access at once and keeps its history
    When card user "Dana Lee" is added under ticket "T-150":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And card "100:5001" is presented at reader "Front Door entry"
    Then the reader grants access
    When the card user of card "100:5001" is disabled under ticket "T-151"
    And card "100:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-invalid"
    And the last access event of door "Front Door" has:
      | Username       | Dana Lee                     |
      | Access Granted | False                        |
      | Description    | Access denied - card invalid |
      | Card Status    | Invalid                      |
    And the card user of card "100:5001" is "Invalid"
    And 2 Last Access Events were published for door "Front Door"
    And the audit trail has an "add" record of card "100:5001" by "jane.admin" under ticket "T-150"
    And the audit trail has a "disable" record of card "100:5001" by "jane.admin" under ticket "T-151"

  @sim-only @UM-REMOVE-LEVELS @UM-TS-TOO-MANY-DOORS
  Scenario: Clearing the access levels leaves no residual access
    Then the doors of the card user of card "100:1001" are "Front Door, Office Door, Server Room, Back Door, Shop Front, Shop Back, Warehouse, Loading Dock"
    When the access levels of the card user of card "100:1001" are removed under ticket "T-160"
    Then the card user of card "100:1001" holds no access level
    And the doors of the card user of card "100:1001" are ""
    And the audit trail has a "remove-access-levels" record of card "100:1001" by "jane.admin" under ticket "T-160"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "no-access-level"
    When card "100:1001" is presented at reader "Server Room entry"
    Then the reader denies access with reason "no-access-level"
    When card "100:1001" is presented at reader "Loading Dock entry"
    Then the reader denies access with reason "no-access-level"

  @sim-only @UM-DELETE @UM-AUDIT
  Scenario: Deleting a user: the card becomes unknown, the audit history stays
    When card user "Dana Lee" is added under ticket "T-170":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And the card user of card "100:5001" is deleted under ticket "T-171"
    Then no card user holds card "100:5001"
    When card "100:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
    And the last access event of door "Front Door" has "Description" = "Access denied - unknown card"
    And the audit trail has an "add" record of card "100:5001" by "jane.admin" under ticket "T-170"
    And the audit trail has a "delete" record of card "100:5001" by "jane.admin" under ticket "T-171"
    And the audit trail has 2 records

  @sim-only @UM-TEMPORARY @UM-AUDIT
  Scenario: A temporary user is revoked automatically on its end date
    When temporary card user "Tom Temp" ending in 1 day is added under ticket "T-180":
      | card         | 100:5002    |
      | card type    | Contractor  |
      | access level | Full Access |
      | site         | Office      |
    And card "100:5002" is presented at reader "Server Room entry"
    Then the reader grants access
    And the audit trail has an "add-temporary" record of card "100:5002" by "jane.admin" under ticket "T-180"
    When 1439 minutes pass
    And card "100:5002" is presented at reader "Server Room entry"
    Then the reader grants access
    When 1 minute passes
    And card "100:5002" is presented at reader "Server Room entry"
    Then the reader denies access with reason "card-expired"
    And the card user of card "100:5002" is "Expired"
    And the last access event of door "Server Room" has:
      | Username       | Tom Temp                     |
      | Access Granted | False                        |
      | Description    | Access denied - card expired |
      | Card Status    | Expired                      |

  @UM-AUDIT
  Scenario: Every issue, change and removal is recorded with who, when and the ticket
    When card user "Dana Lee" is added under ticket "T-190":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And the card user of card "100:5001" is disabled under ticket "T-191"
    And the access levels of the card user of card "100:5001" are removed under ticket "T-192"
    And the card user of card "100:5001" is deleted under ticket "T-193"
    Then the audit trail has 4 records
    And the audit trail has an "add" record of card "100:5001" by "jane.admin" under ticket "T-190"
    And the audit trail has a "disable" record of card "100:5001" by "jane.admin" under ticket "T-191"
    And the audit trail has a "remove-access-levels" record of card "100:5001" by "jane.admin" under ticket "T-192"
    And the audit trail has a "delete" record of card "100:5001" by "jane.admin" under ticket "T-193"

  @UM-AUDIT
  Scenario: A change without a ticket is refused before anything is sent
    Then adding card user "No Ticket" under ticket "" is refused naming the field "ticket":
      | card         | 100:5003    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |

  @UM-ADD
  Scenario Outline: A user without its <field> is refused before anything is sent
    Then adding card user "<name>" under ticket "T-195" is refused naming the field "<field>":
      | card         | <card>      |
      | access level | Office only |
      | site         | Office      |

    Examples:
      | field    | name     | card     |
      | Name     |          | 100:5004 |
      | Card     | No Card  |          |
      | CardType | No Type  | 100:5005 |

  @sim-only @UM-TS-CARD-NUMBER
  Scenario: A wrong card number is denied as unknown
    When card user "Dana Lee" is added under ticket "T-200":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And card "100:5010" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
    And the last access event of door "Front Door" has:
      | CardId      | 100:5010                     |
      | Description | Access denied - unknown card |
      | Card Status | Unknown                      |

  @sim-only @UM-TS-CARD-NUMBER
  Scenario: A card's own state reaches the card-user view: lost/stolen and invalid cards of valid users
    When card "100:1033" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-lost-stolen"
    And the card user of card "100:1033" is "StolenLost"
    And the card user of card "100:1034" is "Invalid"
    And the card user of card "100:1001" is "Valid"

  @sim-only @UM-TS-NO-LEVEL
  Scenario: A missing access level is denied with that reason
    When card "100:1002" is presented at reader "Server Room entry" with PIN "12345"
    Then the reader denies access with reason "no-access-level"
    And the last access event of door "Server Room" has "Description" = "Access denied - no access level for this door"

  @sim-only @UM-TS-SCHEDULE
  Scenario Outline: An Office-only card at <time> on a Monday: <outcome>
    When card user "Sam Hours" is added under ticket "T-210":
      | card         | 100:5030    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And the site clock reaches "<time>"
    And card "100:5030" is presented at reader "Front Door entry"
    Then the reader <outcome>

    Examples:
      | time  | outcome                                      |
      | 09:30 | grants access                                |
      | 17:59 | grants access                                |
      | 18:00 | denies access with reason "outside-schedule" |
      | 23:00 | denies access with reason "outside-schedule" |

  @UM-TS-TOO-MANY-DOORS
  Scenario: The doors a user can open are listed, so an overly broad level is visible
    Then the doors of the card user of card "100:1002" are "Front Door, Office Door, Back Door"
    And the doors of the card user of card "100:1001" are "Front Door, Office Door, Server Room, Back Door, Shop Front, Shop Back, Warehouse, Loading Dock"
    When card user "Broad Bea" is added under ticket "T-220":
      | card         | 100:5040    |
      | card type    | Employee    |
      | access level | Full Access |
      | site         | Office      |
    Then the doors of the card user of card "100:5040" are "Front Door, Office Door, Server Room, Back Door"

  @sim-only @UM-ACCESS-LEVEL @UM-REMOVE-LEVELS @UM-AUDIT
  Scenario: Adjusting a user's access: a level changed on one site, one added on another, then one removed
    Then the doors of the card user of card "100:1002" are "Front Door, Office Door, Back Door"
    When the card user of card "100:1002" is edited under ticket "T-230":
      | access level | Full Access |
      | site         | Office      |
      | access level | Shop only   |
      | site         | Shop        |
    Then the doors of the card user of card "100:1002" are "Front Door, Office Door, Server Room, Back Door, Shop Front, Shop Back, Warehouse"
    And the audit trail has an "edit" record of card "100:1002" by "jane.admin" under ticket "T-230"
    When card "100:1002" is presented at reader "Server Room entry" with PIN "12345"
    Then the reader grants access
    When card "100:1002" is presented at reader "Shop Front entry"
    Then the reader grants access
    When the card user of card "100:1002" is edited under ticket "T-231":
      | remove site | Shop |
    Then the doors of the card user of card "100:1002" are "Front Door, Office Door, Server Room, Back Door"
    And the card user of card "100:1002" is "Valid"
    And the audit trail has an "edit" record of card "100:1002" by "jane.admin" under ticket "T-231"
    When card "100:1002" is presented at reader "Shop Front entry"
    Then the reader denies access with reason "no-access-level"
    When card "100:1002" is presented at reader "Server Room entry" with PIN "12345"
    Then the reader grants access

  @sim-only @UM-PIN @UM-AUDIT
  Scenario: Editing a user's name and access code: the keypad asks for the new code
    When card user "Dana Lee" is added under ticket "T-240":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And card "100:5001" is presented at reader "Office Door entry"
    Then the reader grants access
    When the card user of card "100:5001" is edited under ticket "T-241":
      | name | Dana Lee-Smith |
      | PIN  | 24680          |
    And card "100:5001" is presented at reader "Office Door entry"
    Then the reader denies access with reason "pin-required"
    When card "100:5001" is presented at reader "Office Door entry" with PIN "24680"
    Then the reader grants access
    And the last access event of door "Office Door" has "Username" = "Dana Lee-Smith"
    And the audit trail has an "edit" record of card "100:5001" by "jane.admin" under ticket "T-241"

  @sim-only @UM-DISABLE @UM-AUDIT
  Scenario: Removing one card of a user who stays: that card becomes unknown, the user and the other card remain
    When card user "Dana Lee" is added under ticket "T-250":
      | card         | 100:5001    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And the card user of card "100:5001" is edited under ticket "T-251":
      | add card | 100:5002 |
    Then the card user of card "100:5001" holds the cards "100:5001, 100:5002"
    When card "100:5002" is presented at reader "Front Door entry"
    Then the reader grants access
    When card "100:5001" is removed from its card user under ticket "T-252"
    Then the card user of card "100:5002" holds the cards "100:5002"
    And the card user of card "100:5002" is "Valid"
    And no card user holds card "100:5001"
    When card "100:5001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
    When card "100:5002" is presented at reader "Front Door entry"
    Then the reader grants access
    And the last access event of door "Front Door" has "Username" = "Dana Lee"
    And the audit trail has a "remove-card" record of card "100:5001" by "jane.admin" under ticket "T-252"
    And the audit trail has 3 records
