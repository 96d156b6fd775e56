/**
 * Local multi-process clusters for measurement and experiments on one machine: a freshly
 * generated cluster layout (keys, genesis, one config per node on free ports), node processes
 * started from this jar and controlled by pid, and per-process readings from {@code /proc}.
 * Used by {@code bftlab bench} and by the multi-process tests. Owns processes and files; must not
 * contain protocol rules ({@code org.bftlab.core}) nor reach into a node's actors — it sees a
 * node only through its process and its HTTP API.
 */
package org.bftlab.lab;
