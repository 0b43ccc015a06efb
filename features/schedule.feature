@entrapass
Feature: A door on an unlock schedule
  A door may stay unlocked while a schedule is active (EntraPass's door
  unlock schedule; the site file's unlock_schedule). Its lock state is then
  UNLOCKSCHEDULE and the Door asset shows Unsecure ("open or unlocked"); it
  locks when the schedule ends, and an operator's Pass during the schedule
  returns it to the schedule. Source: entrapass-integration.txt, "Door
  Asset"; SPEC.md §2 (door LOCKSTATE).

  Background:
    Given the default site where door "Office Door" unlocks on schedule "Business hours"
    And the driver is connected

  @sim-only @EP-DOOR-S-UNSECURE @EP-DOOR-S-SECURE
  Scenario: Unsecure while the schedule is active, Secure from the minute it ends
    Then the simulated door "Office Door" is "unlocked-schedule"
    And door "Office Door" shows "Unsecure"
    And door "Front Door" shows "Secure"
    When the site clock reaches "17:59"
    Then the simulated door "Office Door" is "unlocked-schedule"
    And door "Office Door" shows "Unsecure"
    When the site clock reaches "18:00"
    Then the simulated door "Office Door" is "locked"
    And door "Office Door" shows "Secure"

  @sim-only @EP-DOOR-C-PASS @EP-DOOR-S-UNSECURE
  Scenario: A Pass during the schedule returns the door to its schedule, not to locked
    When the operator sends "Pass" with 5 seconds to door "Office Door"
    Then the simulated door "Office Door" is "unlocked-temporary"
    When 5 seconds pass
    Then the simulated door "Office Door" is "unlocked-schedule"
    And door "Office Door" shows "Unsecure"

  @sim-only @EP-DOOR-C-PASS @EP-DOOR-S-SECURE
  Scenario: After the schedule, a Pass returns the door to locked
    When the site clock reaches "18:30"
    And the operator sends "Pass" with 5 seconds to door "Office Door"
    Then door "Office Door" shows "Unsecure"
    When 5 seconds pass
    Then the simulated door "Office Door" is "locked"
    And door "Office Door" shows "Secure"
