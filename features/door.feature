@entrapass
Feature: Door asset
  The Door asset shows the state of a door of the EntraPass system (Door ID
  required) and takes Acknowledge, Cancel, Mask, Reset, Lock, Unlock and
  Pass. Source: entrapass-integration.txt, "Door Asset".

  Background:
    Given the default site
    And the driver is connected

  @EP-DOOR-ID @EP-RDR-ID @EP-OUT-ID @EP-IN-ID
  Scenario: Every door, reader, input and output is discovered with its ID
    Then every door, reader, input and output of the site is an asset with its ID
    And door "Front Door" has the property "Door ID" = "20"
    And reader "Office Door entry" has the property "Door ID" = "21"

  @EP-DOOR-ID
  Scenario: A door asset without a Door ID is refused
    Then adding a door asset with "Door ID" = "" is refused with "Door ID"
    And adding a door asset with "Door ID" = "abc" is refused with "Door ID"

  @EP-DOOR-ID @EP-DOOR-S-NOCOMM
  Scenario: A door asset with an unknown Door ID shows No Communication and its commands fail
    When a door asset "Ghost Door" with "Door ID" = "999" is added
    Then door "Ghost Door" shows "No Communication"
    When the operator tries to send "Lock" to door "Ghost Door"
    Then the command is refused with "COMPONENT_NOT_EXIST"

  @sim-only @EP-DOOR-S-SECURE
  Scenario: A closed, locked door is Secure
    Then door "Front Door" shows "Secure"
    And the simulated door "Front Door" is "locked"
    And the simulated door "Front Door" is "closed"

  @sim-only @EP-DOOR-S-UNSECURE @EP-DOOR-S-SECURE
  Scenario: A door opened on a grant is Unsecure, and Secure again once closed
    When card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    And door "Front Door" shows "Unsecure"
    When door "Front Door" is opened
    Then door "Front Door" shows "Unsecure"
    When door "Front Door" is closed
    Then door "Front Door" shows "Secure"
    And the simulated door "Front Door" is "locked"

  @sim-only @EP-DOOR-S-UNSECURE
  Scenario: A grant nobody uses relocks after the unlock time
    When card "100:1001" is presented at reader "Front Door entry"
    Then door "Front Door" shows "Unsecure"
    And the simulated door "Front Door" is "unlocked-access"
    When 5 seconds pass
    Then door "Front Door" shows "Secure"
    And the simulated door "Front Door" is "locked"

  @sim-only @EP-DOOR-S-FORCED-OPEN
  Scenario: A locked door opened without a grant is Forced Open until closed
    When door "Front Door" is opened
    Then door "Front Door" shows "Forced Open"
    And door "Front Door" also holds "Unsecure"
    And the simulated door "Front Door" is "forced"
    When door "Front Door" is closed
    Then door "Front Door" shows "Secure"

  @sim-only @EP-DOOR-S-HELD-OPEN
  Scenario: A door unlocked and held open past its open time is Held Open until closed
    When the request-to-exit of door "Front Door" is pressed
    And door "Front Door" is opened
    Then door "Front Door" shows "Unsecure"
    When 20 seconds pass
    Then door "Front Door" shows "Unsecure"
    And the simulated door "Front Door" is "open-prealarm"
    When 10 seconds pass
    Then door "Front Door" shows "Held Open"
    And the simulated door "Front Door" is "open-too-long"
    When door "Front Door" is closed
    Then door "Front Door" shows "Secure"

  # Our reading, as EntraPass does: a door the operator keeps unlocked is
  # meant to stand open, so its open time is not supervised (no Held Open).
  @sim-only @EP-DOOR-S-UNSECURE @EP-DOOR-C-UNLOCK @EP-DOOR-C-LOCK
  Scenario: A door unlocked by the operator and opened is Unsecure, not forced nor held open
    When the operator sends "Unlock" to door "Front Door"
    And door "Front Door" is opened
    Then door "Front Door" shows "Unsecure"
    And door "Front Door" does not hold "Forced Open"
    When 60 seconds pass
    Then door "Front Door" shows "Unsecure"
    And door "Front Door" does not hold "Held Open"
    When door "Front Door" is closed
    Then door "Front Door" shows "Unsecure"
    When the operator sends "Lock" to door "Front Door"
    Then door "Front Door" shows "Secure"

  @sim-only @EP-DOOR-S-FAULT
  Scenario: A door whose reader is in fault shows Fault until it clears
    When reader "Front Door entry" reports a fault
    Then door "Front Door" shows "Fault"
    When reader "Front Door entry" clears a fault
    Then door "Front Door" shows "Secure"

  @sim-only @EP-DOOR-S-NOCOMM
  Scenario: A door whose controller is cut off shows No Communication until restored
    When controller "Office Controller" is cut off
    Then door "Front Door" shows "No Communication"
    And door "Shop Front" shows "Secure"
    When controller "Office Controller" is restored
    Then door "Front Door" shows "Secure"

  @EP-DOOR-S-NOCOMM @fault @FT-SERVER-DOWN
  Scenario: Every door shows No Communication while the server is down
    When the server goes down
    Then every door shows "No Communication"
    When the server comes back
    Then every door shows "Secure"

  @sim-only @EP-DOOR-C-MASK @EP-DOOR-S-MASKED @EP-DOOR-C-RESET
  Scenario: Mask hides the door's true state until Reset
    When the operator sends "Mask" to door "Front Door"
    Then door "Front Door" shows "Masked"
    And no command reached the server
    And the simulated door "Front Door" is "locked"
    When the operator sends "Unlock" to door "Front Door"
    Then door "Front Door" shows "Masked"
    And the simulated door "Front Door" is "unlocked-operator"
    When the operator sends "Reset" to door "Front Door"
    Then door "Front Door" shows "Unsecure"

  @sim-only @EP-DOOR-C-ACK @EP-DOOR-S-ACK @EP-DOOR-C-RESET
  Scenario: Acknowledge a forced door; the acknowledgement ends when the alarm clears
    When door "Front Door" is opened
    And the operator sends "Acknowledge" to door "Front Door"
    Then door "Front Door" shows "Acknowledged"
    And door "Front Door" also holds "Forced Open"
    When door "Front Door" is closed
    Then door "Front Door" shows "Secure"
    And door "Front Door" does not hold "Acknowledged"

  @sim-only @EP-DOOR-C-ACK @EP-DOOR-S-ACK @EP-DOOR-C-RESET
  Scenario: Reset ends an acknowledgement while the alarm still holds
    When door "Front Door" is opened
    And the operator sends "Acknowledge" to door "Front Door"
    Then door "Front Door" shows "Acknowledged"
    When the operator sends "Reset" to door "Front Door"
    Then door "Front Door" shows "Forced Open"

  @EP-DOOR-C-ACK
  Scenario: Acknowledge is refused on a door showing no alarm
    When the operator tries to send "Acknowledge" to door "Front Door"
    Then the command is refused with "alarm"
    And door "Front Door" shows "Secure"

  @EP-DOOR-C-CANCEL
  Scenario: Cancel deselects every selected asset
    When the operator selects door "Front Door"
    And the operator selects reader "Office Door entry"
    And the operator selects output "Office Siren"
    Then the selection holds 3 assets
    When the operator sends "Cancel" to door "Front Door"
    Then the selection holds 0 assets
    And no command reached the server

  @sim-only @EP-DOOR-C-UNLOCK @EP-DOOR-C-LOCK
  Scenario: Unlock unlocks the door until Lock locks it
    When the operator sends "Unlock" to door "Front Door"
    Then the server received the command "unlockDoor"
    And the simulated door "Front Door" is "unlocked-operator"
    And door "Front Door" shows "Unsecure"
    When 300 seconds pass
    Then door "Front Door" shows "Unsecure"
    When the operator sends "Lock" to door "Front Door"
    Then the server received the command "LockDoor"
    And the simulated door "Front Door" is "locked"
    And door "Front Door" shows "Secure"

  @sim-only @EP-DOOR-C-PASS
  Scenario Outline: Pass unlocks the door for <seconds> seconds, then it locks again
    When the operator sends "Pass" with <seconds> seconds to door "Front Door"
    Then the server received the command "TemporarilyUnlockDoor"
    And the simulated door "Front Door" is "unlocked-temporary"
    And door "Front Door" shows "Unsecure"
    And door "Front Door" has the property "Temporarily Unlocked" = "True"
    When <before> seconds pass
    Then door "Front Door" shows "Unsecure"
    When 1 second passes
    Then the simulated door "Front Door" is "locked"
    And door "Front Door" shows "Secure"

    Examples:
      | seconds | before |
      | 1       | 0      |
      | 5       | 4      |
      | 255     | 254    |

  @sim-only @EP-DOOR-C-PASS-RANGE
  Scenario Outline: Pass with <seconds> seconds is refused before anything is sent
    When the operator tries to send "Pass" with <seconds> seconds to door "Front Door"
    Then the command is refused with "<message>"
    And no command reached the server
    And the simulated door "Front Door" is "locked"

    Examples:
      | seconds | message       |
      | 0       | Seconds Unlocked |
      | 256     | Seconds Unlocked |
      | -5      | Seconds Unlocked |

  @sim-only @EP-DOOR-C-LOCK @EP-DOOR-C-UNLOCK
  Scenario: A command given to the selection reaches every selected door
    When the operator selects door "Front Door"
    And the operator selects door "Office Door"
    And the operator sends "Unlock" to the selection
    Then the simulated door "Front Door" is "unlocked-operator"
    And the simulated door "Office Door" is "unlocked-operator"
    When the operator sends "Lock" to the selection
    Then door "Front Door" shows "Secure"
    And door "Office Door" shows "Secure"
