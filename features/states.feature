@entrapass
Feature: Every state of every asset type, reached and left
  One row per supported state of the integration document: how it is
  reached, what the driver's asset shows, how it is left, and what the asset
  shows after. Acknowledged needs an alarm first; it has its own scenarios
  in door, reader, output, input and system.feature.

  Background:
    Given the default site
    And the driver is connected

  Scenario Outline: <type> "<name>" reaches <status> (<how>) and leaves it
    When <reach>
    Then <type> "<name>" shows "<status>"
    When <leave>
    Then <type> "<name>" shows "<after>"

    @EP-DOOR-S-SECURE @EP-DOOR-S-UNSECURE @EP-DOOR-S-MASKED @EP-DOOR-C-LOCK @EP-DOOR-C-UNLOCK @EP-DOOR-C-MASK @EP-DOOR-C-RESET
    Examples: Door
      | type | name       | status   | how      | reach                                            | leave                                            | after    |
      | door | Front Door | Unsecure | unlocked | the operator sends "Unlock" to door "Front Door" | the operator sends "Lock" to door "Front Door"   | Secure   |
      | door | Front Door | Secure   | locked   | the operator sends "Lock" to door "Front Door"   | the operator sends "Unlock" to door "Front Door" | Unsecure |
      | door | Front Door | Masked   | masked   | the operator sends "Mask" to door "Front Door"   | the operator sends "Reset" to door "Front Door"  | Secure   |

    @EP-RDR-S-ENABLED @EP-RDR-S-DISABLED @EP-RDR-S-MASKED @EP-RDR-C-ENABLE @EP-RDR-C-DISABLE @EP-RDR-C-MASK @EP-RDR-C-RESET
    Examples: Reader
      | type   | name             | status   | how      | reach                                                            | leave                                                            | after    |
      | reader | Front Door entry | Disabled | disabled | the operator sends "Disable Reader" to reader "Front Door entry" | the operator sends "Enable Reader" to reader "Front Door entry"  | Enabled  |
      | reader | Front Door entry | Enabled  | enabled  | the operator sends "Enable Reader" to reader "Front Door entry"  | the operator sends "Disable Reader" to reader "Front Door entry" | Disabled |
      | reader | Front Door entry | Masked   | masked   | the operator sends "Mask" to reader "Front Door entry"           | the operator sends "Reset" to reader "Front Door entry"          | Enabled  |

    @EP-OUT-S-PRESENT @EP-OUT-S-MASKED @EP-OUT-C-ACTIVATE @EP-OUT-C-DEACTIVATE @EP-OUT-C-MASK @EP-OUT-C-RESET
    Examples: Output
      | type   | name         | status  | how       | reach                                                         | leave                                                           | after   |
      | output | Office Siren | Present | activated | the operator sends "Activate Output" to output "Office Siren" | the operator sends "Deactivate Output" to output "Office Siren" | Present |
      | output | Office Siren | Masked  | masked    | the operator sends "Mask" to output "Office Siren"            | the operator sends "Reset" to output "Office Siren"             | Present |

    @EP-IN-S-MASKED @EP-IN-S-INACTIVE @EP-IN-C-MASK @EP-IN-C-RESET
    Examples: Input
      | type  | name          | status | how    | reach                                              | leave                                               | after    |
      | input | Office Motion | Masked | masked | the operator sends "Mask" to input "Office Motion" | the operator sends "Reset" to input "Office Motion" | Inactive |

    @fault @FT-SERVER-DOWN @EP-DOOR-S-NOCOMM @EP-RDR-S-NOCOMM @EP-OUT-S-NOCOMM @EP-IN-S-NOCOMM
    Examples: Every type, the server down
      | type   | name             | status           | how         | reach                | leave                 | after    |
      | door   | Front Door       | No Communication | server down | the server goes down | the server comes back | Secure   |
      | reader | Front Door entry | No Communication | server down | the server goes down | the server comes back | Enabled  |
      | output | Office Siren     | No Communication | server down | the server goes down | the server comes back | Present  |
      | input  | Office Motion    | No Communication | server down | the server goes down | the server comes back | Inactive |

  @sim-only
  Scenario Outline: <type> "<name>" reaches <status> (<how>, on the site) and leaves it
    When <reach>
    And <wait> seconds pass
    Then <type> "<name>" shows "<status>"
    When <leave>
    Then <type> "<name>" shows "<after>"

    @EP-DOOR-S-UNSECURE @EP-DOOR-S-FORCED-OPEN @EP-DOOR-S-FAULT @EP-DOOR-S-NOCOMM
    Examples: Door
      | type | name       | status           | how               | reach                                                     | wait | leave                                      | after  |
      | door | Front Door | Unsecure         | opened on a grant | card "100:1001" is presented at reader "Front Door entry" | 0    | 5 seconds pass                             | Secure |
      | door | Front Door | Forced Open      | forced            | door "Front Door" is opened                               | 0    | door "Front Door" is closed                | Secure |
      | door | Front Door | Fault            | reader fault      | reader "Front Door entry" reports a fault                 | 0    | reader "Front Door entry" clears a fault   | Secure |
      | door | Front Door | No Communication | controller cut    | controller "Office Controller" is cut off                 | 0    | controller "Office Controller" is restored | Secure |
      | door | Shop Front | No Communication | gateway down      | gateway "Main Gateway" is disconnected                    | 0    | gateway "Main Gateway" is connected        | Secure |

    @fault @EP-DOOR-S-HELD-OPEN
    Examples: Door, held open
      | type | name      | status    | how       | reach                                             | wait | leave                | after  |
      | door | Back Door | Held Open | held open | the fault "site:door-held-open,id=23" is injected | 30   | the fault is removed | Secure |

    @EP-RDR-S-FAULT @EP-RDR-S-NOCOMM
    Examples: Reader
      | type   | name             | status           | how            | reach                                     | wait | leave                                    | after   |
      | reader | Front Door entry | Fault            | reader fault   | reader "Front Door entry" reports a fault | 0    | reader "Front Door entry" clears a fault | Enabled |
      | reader | Shop Front entry | No Communication | controller cut | controller "Shop Controller" is cut off   | 0    | controller "Shop Controller" is restored | Enabled |

    @EP-OUT-S-CONTROLLER-FAULT
    Examples: Output
      | type   | name         | status           | how                     | reach                                            | wait | leave                                           | after   |
      | output | Office Siren | Controller Fault | output controller fault | output "Office Siren" reports a controller fault | 0    | output "Office Siren" clears a controller fault | Present |
      | output | Shop Siren   | Controller Fault | controller cut          | controller "Shop Controller" is cut off          | 0    | controller "Shop Controller" is restored        | Present |

    @EP-OUT-S-FAULT
    Examples: Output, an issue of its own
      | type   | name         | status | how     | reach                                 | wait | leave                                | after   |
      | output | Office Siren | Fault  | trouble | output "Office Siren" reports trouble | 0    | output "Office Siren" clears trouble | Present |

    @EP-IN-S-ACTIVE @EP-IN-S-INACTIVE @EP-IN-S-TAMPER @EP-IN-S-FAULT @EP-IN-S-NOCOMM
    Examples: Input
      | type  | name              | status           | how            | reach                                     | wait | leave                                           | after    |
      | input | Office Motion     | Active           | in alarm       | input "Office Motion" goes into alarm     | 0    | input "Office Motion" returns to rest           | Inactive |
      | input | Office Window     | Tamper           | tampered       | input "Office Window" is tampered with    | 0    | the tamper of input "Office Window" is restored | Inactive |
      | input | Server Room Smoke | Fault            | trouble        | input "Server Room Smoke" reports trouble | 0    | input "Server Room Smoke" clears trouble        | Inactive |
      | input | Shop Motion       | No Communication | controller cut | controller "Shop Controller" is cut off   | 0    | controller "Shop Controller" is restored        | Inactive |

  Scenario Outline: The system reaches <status> (<how>) and leaves it
    When <reach>
    Then the system shows "<status>"
    When <leave>
    Then the system shows "Normal"

    @EP-SYS-S-MASKED @EP-SYS-S-NORMAL @EP-SYS-C-MASK @EP-SYS-C-RESET
    Examples: System
      | status | how    | reach                                   | leave                                    |
      | Masked | masked | the operator sends "Mask" to the system | the operator sends "Reset" to the system |

    @fault @FT-SERVER-DOWN @EP-SYS-S-NOCOMM @EP-SYS-S-NORMAL
    Examples: System, the server down
      | status           | how         | reach                | leave                 |
      | No Communication | server down | the server goes down | the server comes back |

    @sim-only @EP-SYS-S-FAULT @EP-SYS-S-NORMAL
    Examples: System, on the site
      | status | how              | reach                                        | leave                                       |
      | Fault  | controller cut   | controller "Office Controller" is cut off    | controller "Office Controller" is restored  |
      | Fault  | controller fault | controller "Shop Controller" reports a fault | controller "Shop Controller" clears a fault |
      | Fault  | gateway down     | gateway "Main Gateway" is disconnected       | gateway "Main Gateway" is connected         |
