@entrapass
Feature: Reader asset
  The Reader asset is a keypad or card reader (the Door ID of its door is
  required): Normal, Fault, Masked, Acknowledged, No Communication, Enabled,
  Disabled; Mask, Acknowledge, Reset, Cancel, Disable Reader, Enable Reader.
  SmartService addresses readers through their door, so the driver's Reader
  asset is reader/<door id>, the door's first reader.
  Source: entrapass-integration.txt, "Reader Asset".

  Background:
    Given the default site
    And the driver is connected

  @EP-RDR-ID
  Scenario: A reader asset carries the Door ID of its door
    Then reader "Front Door entry" has the property "Door ID" = "20"
    And reader "Office Door entry" has the property "Door ID" = "21"
    And adding a reader asset with "Door ID" = "" is refused with "Door ID"

  @sim-only @EP-RDR-S-NORMAL @EP-RDR-S-ENABLED
  Scenario: An online, enabled reader is Enabled and Normal
    Then reader "Front Door entry" shows "Enabled"
    And reader "Front Door entry" also holds "Normal"
    And the simulated reader "Front Door entry" is enabled

  @sim-only @EP-RDR-S-ENABLED
  Scenario: An enabled reader reads cards
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    And the last access event of reader "Front Door entry" has "Access Granted" = "True"

  @sim-only @EP-RDR-C-DISABLE @EP-RDR-S-DISABLED
  Scenario: Disable Reader: the reader reads no cards, and never shows Normal
    When the operator sends "Disable Reader" to reader "Front Door entry"
    Then the server received the command "DisableReader"
    And the simulated reader "Front Door entry" is disabled
    And reader "Front Door entry" shows "Disabled"
    And reader "Front Door entry" does not hold "Normal"
    And reader "Front Door entry" does not hold "Enabled"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader denies access with reason "reader-disabled"
    And the last access event of reader "Front Door entry" has "Access Granted" = "False"
    And the last access event of reader "Front Door entry" has "Description" = "Access denied - reader disabled"
    And the simulated door "Front Door" is "locked"

  @sim-only @EP-RDR-C-ENABLE @EP-RDR-S-ENABLED @EP-RDR-S-NORMAL
  Scenario: Enable Reader: the reader reads cards again
    When the operator sends "Disable Reader" to reader "Front Door entry"
    And the operator sends "Enable Reader" to reader "Front Door entry"
    Then the server received the command "EnableReader"
    And the simulated reader "Front Door entry" is enabled
    And reader "Front Door entry" shows "Enabled"
    And reader "Front Door entry" also holds "Normal"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access

  @sim-only @EP-RDR-S-FAULT
  Scenario: A reader in fault shows Fault, reads nothing, and recovers
    When reader "Front Door entry" reports a fault
    Then reader "Front Door entry" shows "Fault"
    And reader "Front Door entry" does not hold "Normal"
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader reads nothing
    When reader "Front Door entry" clears a fault
    Then reader "Front Door entry" shows "Enabled"
    And reader "Front Door entry" also holds "Normal"

  @sim-only @EP-RDR-S-NOCOMM
  Scenario: A reader whose controller is cut off shows No Communication until restored
    When controller "Office Controller" is cut off
    Then reader "Front Door entry" shows "No Communication"
    And reader "Shop Front entry" shows "Enabled"
    When controller "Office Controller" is restored
    Then reader "Front Door entry" shows "Enabled"

  @EP-RDR-C-MASK @EP-RDR-S-MASKED @EP-RDR-C-RESET
  Scenario: Mask hides the reader's true state until Reset
    When the operator sends "Mask" to reader "Front Door entry"
    Then reader "Front Door entry" shows "Masked"
    When the operator sends "Disable Reader" to reader "Front Door entry"
    Then reader "Front Door entry" shows "Masked"
    When the operator sends "Reset" to reader "Front Door entry"
    Then reader "Front Door entry" shows "Disabled"

  @sim-only @EP-RDR-C-ACK @EP-RDR-S-ACK @EP-RDR-C-RESET
  Scenario: Acknowledge a reader fault; it lasts until the fault clears
    When reader "Front Door entry" reports a fault
    And the operator sends "Acknowledge" to reader "Front Door entry"
    Then reader "Front Door entry" shows "Acknowledged"
    And reader "Front Door entry" also holds "Fault"
    When reader "Front Door entry" clears a fault
    Then reader "Front Door entry" shows "Enabled"
    And reader "Front Door entry" does not hold "Acknowledged"

  @sim-only @EP-RDR-C-ACK @EP-RDR-C-RESET
  Scenario: Reset ends a reader's acknowledgement while the fault holds
    When reader "Front Door entry" reports a fault
    And the operator sends "Acknowledge" to reader "Front Door entry"
    And the operator sends "Reset" to reader "Front Door entry"
    Then reader "Front Door entry" shows "Fault"

  @EP-RDR-C-ACK
  Scenario: Acknowledge is refused on a reader showing no alarm
    When the operator tries to send "Acknowledge" to reader "Front Door entry"
    Then the command is refused with "alarm"

  @EP-RDR-C-CANCEL
  Scenario: Cancel given to a reader deselects every selected asset
    When the operator selects reader "Front Door entry"
    And the operator selects door "Office Door"
    Then the selection holds 2 assets
    When the operator sends "Cancel" to reader "Front Door entry"
    Then the selection holds 0 assets
