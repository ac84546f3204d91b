/**
 * Text for the lectures' language-model and text-classification examples: strict UTF-8 reading,
 * character vocabularies and corpora for character-level language models, and folders of labelled
 * documents with word vocabularies for classifiers.
 */
package org.jgrad.vision.text;
