@entrapass
Feature: Input asset
  The Input asset is an input device, e.g. a button (Input ID required):
  Acknowledged, No Communication, Fault, Masked, Active, Inactive, Tamper;
  Mask, Acknowledge, Reset, Cancel. Source: entrapass-integration.txt,
  "Input Asset".

  Background:
    Given the default site
    And the driver is connected

  @EP-IN-ID
  Scenario: An input asset carries its Input ID; one without it is refused
    Then input "Office Motion" has the property "Input ID" = "52"
    And adding a input asset with "Input ID" = "" is refused with "Input ID"

  @EP-IN-S-INACTIVE
  Scenario: An input at rest is Inactive
    Then input "Office Motion" shows "Inactive"
    And every input shows "Inactive"

  @sim-only @EP-IN-S-ACTIVE @EP-IN-S-INACTIVE
  Scenario Outline: Input "<input>" in alarm is Active, and Inactive again at rest
    When input "<input>" goes into alarm
    Then input "<input>" shows "Active"
    When input "<input>" returns to rest
    Then input "<input>" shows "Inactive"

    Examples:
      | input               |
      | Front Door REX      |
      | Office Motion       |
      | Server Room Smoke   |
      | Shop Panic Button   |

  @sim-only @EP-IN-S-TAMPER
  Scenario: A tampered input shows Tamper until restored
    When input "Office Window" is tampered with
    Then input "Office Window" shows "Tamper"
    When the tamper of input "Office Window" is restored
    Then input "Office Window" shows "Inactive"

  @sim-only @EP-IN-S-FAULT
  Scenario: An input in trouble shows Fault until it clears
    When input "Server Room Smoke" reports trouble
    Then input "Server Room Smoke" shows "Fault"
    When input "Server Room Smoke" clears trouble
    Then input "Server Room Smoke" shows "Inactive"

  @sim-only @EP-IN-S-NOCOMM
  Scenario: An input whose controller is cut off shows No Communication until restored
    When controller "Shop Controller" is cut off
    Then input "Shop Motion" shows "No Communication"
    And input "Office Motion" shows "Inactive"
    When controller "Shop Controller" is restored
    Then input "Shop Motion" shows "Inactive"

  @sim-only @EP-IN-C-MASK @EP-IN-S-MASKED @EP-IN-C-RESET
  Scenario: Mask hides the input's true state until Reset
    When the operator sends "Mask" to input "Office Motion"
    Then input "Office Motion" shows "Masked"
    When input "Office Motion" goes into alarm
    Then input "Office Motion" shows "Masked"
    When the operator sends "Reset" to input "Office Motion"
    Then input "Office Motion" shows "Active"

  @sim-only @EP-IN-C-ACK @EP-IN-S-ACK @EP-IN-C-RESET
  Scenario: Acknowledge a tamper; it lasts until the tamper is restored
    When input "Office Window" is tampered with
    And the operator sends "Acknowledge" to input "Office Window"
    Then input "Office Window" shows "Acknowledged"
    And input "Office Window" also holds "Tamper"
    When the tamper of input "Office Window" is restored
    Then input "Office Window" shows "Inactive"
    And input "Office Window" does not hold "Acknowledged"

  @sim-only @EP-IN-C-ACK @EP-IN-S-ACK @EP-IN-C-RESET
  Scenario: Reset ends an input's acknowledgement while the alarm holds
    When input "Server Room Smoke" reports trouble
    And the operator sends "Acknowledge" to input "Server Room Smoke"
    Then input "Server Room Smoke" shows "Acknowledged"
    When the operator sends "Reset" to input "Server Room Smoke"
    Then input "Server Room Smoke" shows "Fault"

  @EP-IN-C-ACK
  Scenario: Acknowledge is refused on an input showing no alarm
    When the operator tries to send "Acknowledge" to input "Office Motion"
    Then the command is refused with "alarm"

  @EP-IN-C-CANCEL
  Scenario: Cancel given to an input deselects every selected asset
    When the operator selects input "Office Motion"
    And the operator selects door "Front Door"
    Then the selection holds 2 assets
    When the operator sends "Cancel" to input "Office Motion"
    Then the selection holds 0 assets
