"""The schemas of councils' documents (policy/documents.py), one module per
document, named as the document's file is: agreement_form.py checks every
council's agreement_form.yaml."""
