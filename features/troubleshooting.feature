@entrapass
Feature: Card not working after add: wrong card type
  "Check: Wrong card type, incorrect card number, or missing Access Level."
  A site whose access level admits only some card types denies the others
  with that reason. Source: entrapass-user-management.txt, "Troubleshooting".

  Background:
    Given the default site where access level "Full Access" of site "Office" admits only card type "Employee"
    And the driver is connected

  @sim-only @UM-TS-CARD-TYPE
  Scenario: A card of another type is denied with the reason wrong card type
    When card "100:1048" is presented at reader "Front Door entry"
    Then the reader denies access with reason "wrong-card-type"
    And the last access event of door "Front Door" has:
      | Username       | Vera Vincent                    |
      | Access Granted | False                           |
      | Description    | Access denied - wrong card type |
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access

  @sim-only @UM-TS-CARD-TYPE @UM-ADD
  Scenario: A user added with the wrong card type is denied with that reason
    When card user "Carl Contractor" is added under ticket "T-300":
      | card         | 100:5050    |
      | card type    | Contractor  |
      | access level | Full Access |
      | site         | Office      |
    And card "100:5050" is presented at reader "Server Room entry"
    Then the reader denies access with reason "wrong-card-type"
    When card user "Erin Employee" is added under ticket "T-301":
      | card         | 100:5051    |
      | card type    | Employee    |
      | access level | Full Access |
      | site         | Office      |
    And card "100:5051" is presented at reader "Server Room entry"
    Then the reader grants access
