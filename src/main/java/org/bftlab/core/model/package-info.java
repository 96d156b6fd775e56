/**
 * Small validated value types of PBFT and the ledger: node and client ids, digests, protocol
 * parameters. Owns no behaviour beyond validation and formatting; depends on nothing else.
 */
package org.bftlab.core.model;
