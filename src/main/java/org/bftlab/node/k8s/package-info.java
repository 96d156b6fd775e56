/**
 * Kubernetes: Pekko Management cluster bootstrap with Kubernetes API discovery instead of
 * genesis seed nodes, the readiness probe ({@code GET /ready}: joined and caught up), and the
 * manifests {@code cryptogen --k8s} writes (StatefulSet, headless Service, PodDisruptionBudget).
 * Owns discovery settings, probes and manifests; must not touch protocol rules or a node's
 * actors — the node hands it what it needs (its facade, its recovery future), so this package
 * does not depend on {@code org.bftlab.node}.
 */
package org.bftlab.node.k8s;
