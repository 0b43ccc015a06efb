@entrapass
Feature: Status precedence
  An asset holds a set of statuses and shows the highest in its status
  table: No Communication > Masked > Acknowledged > the alarms (Fault,
  Forced Open, Held Open, Tamper, Controller Fault) > Disabled, Unsecure,
  Active > Enabled, Secure, Inactive, Present > Normal. No Communication is
  required in every status table. Source: entrapass-integration.txt ("This
  status is required in all status tables"), SPEC.md §6.

  Background:
    Given the default site
    And the driver is connected

  @sim-only @EP-DOOR-S-NOCOMM @EP-DOOR-S-MASKED
  Scenario: No Communication shows through a Mask
    When the operator sends "Mask" to door "Front Door"
    And controller "Office Controller" is cut off
    Then door "Front Door" shows "No Communication"
    When controller "Office Controller" is restored
    Then door "Front Door" shows "Masked"

  @sim-only @EP-RDR-S-FAULT @EP-RDR-S-DISABLED
  Scenario: A disabled reader in fault shows Fault, and Disabled once the fault clears
    When the operator sends "Disable Reader" to reader "Front Door entry"
    And reader "Front Door entry" reports a fault
    Then reader "Front Door entry" shows "Fault"
    And reader "Front Door entry" also holds "Disabled"
    When reader "Front Door entry" clears a fault
    Then reader "Front Door entry" shows "Disabled"

  @sim-only @EP-IN-S-TAMPER @EP-IN-S-ACTIVE
  Scenario: An input in alarm and tampered with shows Tamper, then Active
    When input "Office Window" goes into alarm
    And input "Office Window" is tampered with
    Then input "Office Window" shows "Tamper"
    And input "Office Window" also holds "Active"
    When the tamper of input "Office Window" is restored
    Then input "Office Window" shows "Active"

  @sim-only @EP-DOOR-S-HELD-OPEN @EP-DOOR-S-ACK @EP-DOOR-C-ACK
  Scenario: A Held Open door acknowledged shows Acknowledged until it is closed
    When the request-to-exit of door "Front Door" is pressed
    And door "Front Door" is opened
    And 30 seconds pass
    Then door "Front Door" shows "Held Open"
    When the operator sends "Acknowledge" to door "Front Door"
    Then door "Front Door" shows "Acknowledged"
    And door "Front Door" also holds "Held Open"
    When door "Front Door" is closed
    Then door "Front Door" shows "Secure"

  @sim-only @EP-DOOR-S-FORCED-OPEN @EP-DOOR-S-FAULT
  Scenario: A forced door whose reader is in fault holds both alarms
    When reader "Front Door entry" reports a fault
    And door "Front Door" is opened
    Then door "Front Door" also holds "Forced Open"
    And door "Front Door" also holds "Fault"
    And door "Front Door" also holds "Unsecure"
    When door "Front Door" is closed
    Then door "Front Door" shows "Fault"
