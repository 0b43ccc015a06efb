@entrapass
Feature: Changes not reflected: verify communication with the controller
  "Web client changes not reflected — Check: Refresh the client, confirm you
  saved changes, and verify communication with the controller/doors." A
  controller decides at its doors from the card users the server sent it.
  Cut off, it keeps the copy it had: a change saved at the server does not
  reach its doors until it is heard again, then it receives the change.
  Source: entrapass-user-management.txt, "Troubleshooting".

  Background:
    Given the default site
    And the driver is connected

  # The catalogue has no requirement for this troubleshooting case;
  # FT-CONTROLLER-FAIL (controller communication failure) and UM-DISABLE /
  # UM-ADD (the changes that do not reach it) are the nearest.
  @sim-only @fault @FT-CONTROLLER-FAIL @UM-DISABLE @UM-ADD
  Scenario: A cut-off controller decides from the card users it had until it is restored
    When controller "Office Controller" is cut off
    And the card user of card "100:1001" is disabled under ticket "T-500"
    And card user "Nina New" is added under ticket "T-501":
      | card         | 100:6001    |
      | card type    | Employee    |
      | access level | Full Access |
      | site         | Office      |
    Then the card user of card "100:1001" is "Invalid"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    When card "100:6001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "unknown-card"
    # The Shop controller is in touch with the server: it has the change.
    When card "100:1001" is presented at reader "Shop Front entry"
    Then the reader denies access with reason "card-invalid"
    When controller "Office Controller" is restored
    And card "100:1001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "card-invalid"
    And the last access event of door "Front Door" has:
      | Username       | Alice Martin                 |
      | Access Granted | False                        |
      | Description    | Access denied - card invalid |
    When card "100:6001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the last access event of door "Front Door" has "Username" = "Nina New"
