@entrapass
Feature: System asset
  The System asset (system/1) represents the connection state of the
  system: Normal, Masked, Fault, Acknowledged, No Communication; Mask,
  Acknowledge, Reset, Cancel. Source: entrapass-integration.txt,
  "System Asset".

  Background:
    Given the default site
    And the driver is connected

  @EP-SYS-S-NORMAL
  Scenario: Online and in its default state, the system is Normal
    Then the system shows "Normal"

  @sim-only @EP-SYS-S-FAULT @EP-SYS-S-NORMAL
  Scenario: A controller cut off is an issue in a connected asset: Fault, then Normal again
    When controller "Shop Controller" is cut off
    Then the system shows "Fault"
    When controller "Shop Controller" is restored
    Then the system shows "Normal"

  @sim-only @EP-SYS-S-FAULT
  Scenario: A controller in hardware fault puts the system in Fault
    When controller "Shop Controller" reports a fault
    Then the system shows "Fault"
    When controller "Shop Controller" clears a fault
    Then the system shows "Normal"

  @sim-only @EP-SYS-S-FAULT @EP-RDR-S-FAULT
  Scenario: A reader in fault is an issue in a connected asset: the System rolls it up
    When reader "Office Door entry" reports a fault
    Then reader "Office Door entry" shows "Fault"
    And the system shows "Fault"
    When reader "Office Door entry" clears a fault
    Then the system shows "Normal"

  @sim-only @EP-SYS-S-FAULT @EP-IN-S-FAULT
  Scenario: An input in trouble is an issue in a connected asset: the System rolls it up
    When input "Server Room Smoke" reports trouble
    Then input "Server Room Smoke" shows "Fault"
    And the system shows "Fault"
    When input "Server Room Smoke" clears trouble
    Then the system shows "Normal"

  @sim-only @EP-SYS-S-FAULT
  Scenario: A gateway disconnected puts the system in Fault
    When gateway "Main Gateway" is disconnected
    Then the system shows "Fault"
    When gateway "Main Gateway" is connected
    Then the system shows "Normal"

  @EP-SYS-C-MASK @EP-SYS-S-MASKED @EP-SYS-C-RESET
  Scenario: Mask hides the system's true state until Reset
    When the operator sends "Mask" to the system
    Then the system shows "Masked"
    When the operator sends "Reset" to the system
    Then the system shows "Normal"

  @sim-only @EP-SYS-C-MASK @EP-SYS-S-MASKED @EP-SYS-C-RESET
  Scenario: A masked system stays Masked through a fault; Reset shows the fault
    When the operator sends "Mask" to the system
    And controller "Shop Controller" is cut off
    Then the system shows "Masked"
    When the operator sends "Reset" to the system
    Then the system shows "Fault"

  @sim-only @EP-SYS-C-ACK @EP-SYS-S-ACK
  Scenario: Acknowledge the system's Fault; it lasts until the fault clears
    When controller "Shop Controller" is cut off
    And the operator sends "Acknowledge" to the system
    Then the system shows "Acknowledged"
    When controller "Shop Controller" is restored
    Then the system shows "Normal"

  @sim-only @EP-SYS-C-RESET @EP-SYS-S-ACK
  Scenario: Reset ends the system's acknowledgement while the fault holds
    When controller "Shop Controller" is cut off
    And the operator sends "Acknowledge" to the system
    And the operator sends "Reset" to the system
    Then the system shows "Fault"

  @EP-SYS-C-ACK
  Scenario: Acknowledge is refused while the system shows no alarm
    When the operator tries to send "Acknowledge" to the system
    Then the command is refused with "alarm"
    And the system shows "Normal"

  @EP-SYS-C-CANCEL
  Scenario: Cancel given to the system deselects every selected asset
    When the operator selects door "Front Door"
    And the operator selects input "Office Motion"
    Then the selection holds 2 assets
    When the operator sends "Cancel" to the system
    Then the selection holds 0 assets

  @EP-SYS-S-NOCOMM @fault @FT-SERVER-DOWN
  Scenario: Communication lost: the system shows No Communication until it is back
    When the server goes down
    Then the system shows "No Communication"
    And every asset shows "No Communication"
    When the server comes back
    Then the system shows "Normal"
    And door "Front Door" shows "Secure"
