@entrapass @fault
Feature: A hanging server
  A request the server never answers: the driver gives up after its
  request timeout, shows No Communication, and recovers once the server
  answers again. Source: SPEC.md §4 (hang) and §6 (every request has a
  timeout), catalogue FT-HANG.

  Background:
    Given the default site
    And the driver is connected with a request timeout of 300 milliseconds

  @FT-HANG
  Scenario: A hang: the driver times out and shows No Communication, then recovers
    When the fault "entrapass:hang,first=1" is injected
    And the driver polls
    Then the last poll failed with an error containing "timeout"
    And every asset shows "No Communication"
    When the driver polls
    Then the last poll succeeded
    And the system shows "Normal"

  @FT-HANG
  Scenario: A hang until the fault is removed
    When the fault "entrapass:hang,path=/SmartService/ComponentsStatesByStatusId*" is injected
    And the driver polls 2 times
    Then 2 of the last 2 polls failed
    And door "Front Door" shows "No Communication"
    When the fault is removed
    Then the last poll succeeded
    And door "Front Door" shows "Secure"
