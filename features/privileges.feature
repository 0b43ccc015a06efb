@entrapass
Feature: Operator privileges for card users
  "Privileges: Ensure you're logged in with an account authorized to create,
  edit, and delete users and cards." The login answer lists the operator's
  rights; an operator without CardRight creates, changes and deletes no card
  user: the driver says which right is missing, sends no change and audits
  nothing. Source: entrapass-user-management.txt, "Prerequisites".

  Background:
    Given the default site with operator "clerk" of password "clerk-pw" lacking the right "CardRight"
    And the driver is configured with username "clerk" and password "clerk-pw"

  # The catalogue has no requirement for operator privileges;
  # UM-OPERATOR-HYGIENE is the operator-account requirement nearest to it.
  @sim-only @UM-OPERATOR-HYGIENE
  Scenario: An operator without the right to change card users changes none, and nothing is audited
    Then the last poll succeeded
    And adding card user "Nope" under ticket "T-400" is refused for want of the right "CardRight":
      | card         | 100:5301    |
      | card type    | Employee    |
      | access level | Office only |
      | site         | Office      |
    And no card user holds card "100:5301"
    And editing the card user of card "100:1002" under ticket "T-401" is refused for want of the right "CardRight":
      | access level | Full Access |
      | site         | Office      |
    And disabling the card user of card "100:1001" under ticket "T-402" is refused for want of the right "CardRight"
    And removing the access levels of the card user of card "100:1001" under ticket "T-403" is refused for want of the right "CardRight"
    And deleting the card user of card "100:1001" under ticket "T-404" is refused for want of the right "CardRight"
    And the audit trail has 0 records
    And the doors of the card user of card "100:1002" are "Front Door, Office Door, Back Door"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    When card "100:5301" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
