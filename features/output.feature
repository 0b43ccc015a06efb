@entrapass
Feature: Output asset
  The Output asset is an output device, e.g. an LED or a buzzer (Output ID
  required): Normal, Fault, Masked, Acknowledged, No Communication, Present,
  Controller Fault; Mask, Acknowledge, Reset, Cancel, Activate Output,
  Deactivate Output, Timed Activation. Source: entrapass-integration.txt,
  "Output Asset".

  Background:
    Given the default site
    And the driver is connected

  @EP-OUT-ID
  Scenario: An output asset carries its Output ID; one without it is refused
    Then output "Office Siren" has the property "Output ID" = "71"
    And adding a output asset with "Output ID" = "" is refused with "Output ID"

  @EP-OUT-S-PRESENT @EP-OUT-S-NORMAL
  Scenario: An output the system knows is Present and Normal
    Then output "Office Siren" shows "Present"
    And output "Office Siren" also holds "Normal"
    And every output shows "Present"

  @sim-only @EP-OUT-C-ACTIVATE @EP-OUT-C-DEACTIVATE
  Scenario: Activate Output, then Deactivate Output
    When the operator sends "Activate Output" to output "Office Siren"
    Then the server received the command "ActivateRelay"
    And the simulated output "Office Siren" is active
    And output "Office Siren" has the property "Active" = "True"
    And output "Office Siren" shows "Present"
    When the operator sends "Deactivate Output" to output "Office Siren"
    Then the server received the command "DeactivateRelay"
    And the simulated output "Office Siren" is inactive
    And output "Office Siren" has the property "Active" = "False"

  @sim-only @EP-OUT-C-TIMED
  Scenario Outline: Timed Activation for <seconds> seconds, then inactive again
    When the operator sends "Timed Activation" with <seconds> seconds to output "Office Strobe"
    Then the server received the command "TemporarilyActivateRelay"
    And the simulated output "Office Strobe" is active
    And output "Office Strobe" has the property "Temporarily Active" = "True"
    When <before> seconds pass
    Then the simulated output "Office Strobe" is active
    When 1 second passes
    Then the simulated output "Office Strobe" is inactive
    And output "Office Strobe" has the property "Active" = "False"
    And output "Office Strobe" has the property "Temporarily Active" = "False"

    Examples:
      | seconds | before |
      | 1       | 0      |
      | 10      | 9      |
      | 64800   | 64799  |

  @sim-only @EP-OUT-C-TIMED
  Scenario Outline: Timed Activation for <seconds> seconds is refused before anything is sent
    When the operator tries to send "Timed Activation" with <seconds> seconds to output "Office Strobe"
    Then the command is refused with "Seconds Active"
    And no command reached the server
    And the simulated output "Office Strobe" is inactive

    Examples:
      | seconds |
      | 0       |
      | 64801   |

  @sim-only @EP-OUT-S-CONTROLLER-FAULT
  Scenario: An output whose controller reports an output fault shows Controller Fault
    When output "Office Siren" reports a controller fault
    Then output "Office Siren" shows "Controller Fault"
    When output "Office Siren" clears a controller fault
    Then output "Office Siren" shows "Present"
    And output "Office Siren" also holds "Normal"

  @sim-only @EP-OUT-S-CONTROLLER-FAULT @EP-OUT-S-NOCOMM
  Scenario: An output whose controller is cut off shows Controller Fault until restored
    When controller "Office Controller" is cut off
    Then output "Office Siren" shows "Controller Fault"
    And output "Shop Siren" shows "Present"
    When controller "Office Controller" is restored
    Then output "Office Siren" shows "Present"

  @EP-OUT-S-NOCOMM @fault @FT-SERVER-DOWN
  Scenario: Every output shows No Communication while the server cannot be reached
    When the server goes down
    Then every output shows "No Communication"
    When the server comes back
    Then every output shows "Present"

  @sim-only @EP-OUT-S-FAULT
  Scenario: An output reporting an issue shows Fault
    When output "Office Siren" reports trouble
    Then output "Office Siren" shows "Fault"

  @EP-OUT-C-MASK @EP-OUT-S-MASKED @EP-OUT-C-RESET
  Scenario: Mask hides the output's true state until Reset
    When the operator sends "Mask" to output "Office Siren"
    Then output "Office Siren" shows "Masked"
    When the operator sends "Reset" to output "Office Siren"
    Then output "Office Siren" shows "Present"

  @sim-only @EP-OUT-C-ACK @EP-OUT-S-ACK @EP-OUT-C-RESET
  Scenario: Acknowledge an output's Controller Fault; it lasts until the fault clears
    When output "Office Siren" reports a controller fault
    And the operator sends "Acknowledge" to output "Office Siren"
    Then output "Office Siren" shows "Acknowledged"
    And output "Office Siren" also holds "Controller Fault"
    When output "Office Siren" clears a controller fault
    Then output "Office Siren" shows "Present"
    And output "Office Siren" does not hold "Acknowledged"

  @sim-only @EP-OUT-C-RESET
  Scenario: Reset ends an output's acknowledgement while the fault holds
    When output "Office Siren" reports a controller fault
    And the operator sends "Acknowledge" to output "Office Siren"
    And the operator sends "Reset" to output "Office Siren"
    Then output "Office Siren" shows "Controller Fault"

  @EP-OUT-C-ACK
  Scenario: Acknowledge is refused on an output showing no alarm
    When the operator tries to send "Acknowledge" to output "Office Siren"
    Then the command is refused with "alarm"

  @EP-OUT-C-CANCEL
  Scenario: Cancel given to an output deselects every selected asset
    When the operator selects output "Office Siren"
    And the operator selects output "Shop Siren"
    Then the selection holds 2 assets
    When the operator sends "Cancel" to output "Office Siren"
    Then the selection holds 0 assets
