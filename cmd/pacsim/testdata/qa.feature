@entrapass
Feature: QA's habits (pacsim conform's selection flags)

  @EP-DOOR-S-SECURE @sim-only
  Scenario Outline: door <door> starts secure
    Given the default site
    And the driver is connected
    Then door "<door>" shows "Secure"

    Examples:
      | door       |
      | Front Door |
      | Back Door  |

  @EP-DOOR-S-UNSECURE @sim-only
  Scenario: a good card opens the front door
    Given the default site
    And the driver is connected
    When card "100:1001" is presented at reader "Front Door entry"
    Then door "Front Door" shows "Unsecure"

  @EP-DOOR-S-SECURE @sim-only
  Scenario: wrong on purpose, the front door starts unsecure
    Given the default site
    And the driver is connected
    Then door "Front Door" shows "Unsecure"

  @EP-DOOR-S-SECURE @sim-only
  Scenario: wrong on purpose, the back door starts unsecure
    Given the default site
    And the driver is connected
    Then door "Back Door" shows "Unsecure"
