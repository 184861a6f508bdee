/** An application embedding a zonegate gateway (README, "Embedding zonegate"). */
module zonegate.example.embedded {
    requires zonegate.app;
}
