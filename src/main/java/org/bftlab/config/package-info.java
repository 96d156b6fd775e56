/**
 * Typed settings, read once from Typesafe Config into immutable records and passed in; no static
 * configuration anywhere. Owns parsing and validation of configuration; must not start anything.
 */
package org.bftlab.config;
