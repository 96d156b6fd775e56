/**
 * Leader election: which view is installed and who is its primary (PBFT view change, OSDI'99
 * §4.4). In this version the view stays 0; the view-change protocol fills this package in.
 * Must not touch agreement's message log or the ledger: it talks to them through signals.
 */
package org.bftlab.core.election;
